"""Command line of the knowledge base: build, check, stats, vocabulary, search.

    python -m knowledge build        validate the data files, then rebuild the database
    python -m knowledge check        validate only
    python -m knowledge stats        counts of what the database holds, trainings by campus and level
    python -m knowledge vocabulary   the words of the knowledge base, as JSON (for the NLU data)
    python -m knowledge search --sector avions --level bts --place 93
    python -m knowledge search --sector ébéniste --level cap --apprenticeship
"""

from __future__ import annotations

import argparse
import json
import sys

from knowledge.settings import data_dir, database_url


def _build(args) -> int:
    from knowledge.loader import build_database, data_fingerprint
    from knowledge.validation import load_dataset

    dataset = load_dataset(data_dir())
    url = database_url()
    build_database(dataset, url, data_fingerprint(data_dir()))
    counts = ", ".join(f"{count} {kind}" for kind, count in dataset.counts().items())
    print(f"Base de connaissances construite ({_safe(url)}) : {counts}.")
    return 0


def _check(args) -> int:
    from knowledge.validation import load_dataset

    counts = load_dataset(data_dir()).counts()
    print("Données valides : " + ", ".join(f"{count} {kind}" for kind, count in counts.items()) + ".")
    return 0


def _stats(args) -> int:
    from knowledge.queries import open_knowledge_base

    kb = open_knowledge_base()
    for name, value in kb.stats().items():
        print(f"{name:>16} : {value}")
    for by, counts in kb.trainings_by().items():
        print(f"\nFormations par {by} :")
        for name, count in counts.items():
            print(f"{count:>5}  {name}")
    return 0


def _vocabulary(args) -> int:
    from knowledge.queries import open_knowledge_base

    json.dump(open_knowledge_base().vocabulary_terms(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def _search(args) -> int:
    from knowledge.queries import open_knowledge_base

    result = open_knowledge_base().search(sector=args.sector, level=args.level, place=args.place,
                                          status=args.status, apprenticeship=args.apprenticeship)
    for training in result.trainings:
        print(f"formation : {training.title} — {training.establishment} (campus {training.campus})")
    for match in result.matches:
        print(f"{match.score:5.2f}  {match.campus.short_name}  ({'; '.join(match.reasons)})")
    if not result.matches:
        print(f"Aucun campus. Contrainte à assouplir : {result.empty_because}; inconnues : {result.unknown}")
    return 0


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, handler in (("build", _build), ("check", _check), ("stats", _stats),
                          ("vocabulary", _vocabulary)):
        commands.add_parser(name).set_defaults(handler=handler)
    search = commands.add_parser("search")
    for option in ("--sector", "--level", "--place", "--status"):
        search.add_argument(option)
    search.add_argument("--apprenticeship", action="store_true", help="en apprentissage seulement")
    search.set_defaults(handler=_search)
    args = parser.parse_args(argv)
    from knowledge.validation import DataError

    try:
        return args.handler(args)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
