"""Generates the NLU data that comes from the knowledge base, so that it never drifts from it.

    python -m bot.extensions.nlu.lookup_data   writes data/generated/knowledge.yml

The file holds lookup tables (sector and job words, places, diploma kinds, campus and
establishment names, each with and without accents), regexes for "bac+N", "niveau N" and département
numbers, and annotated examples for the questions that name knowledge-base terms (a search
by sector, level and place; an interest; an establishment's campus): short templates in the
students' and counsellors' styles, filled with terms drawn with a fixed seed, a third of them
written without accents or capitals as students type. The file is rewritten only when its
content changes, so that an unchanged knowledge base does not force a retrain.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

from knowledge.queries import KnowledgeBase, open_knowledge_base
from knowledge.settings import PROJECT_ROOT

OUTPUT = PROJECT_ROOT / "data" / "generated" / "knowledge.yml"
LOOKUPS = {
    "sector": ("sector", "national_sector", "job", "field"),
    "place": ("department", "academy", "commune"),
    "level": ("diploma_kind",),
    "campus": ("campus",),
    "establishment": ("establishment",),
}
REGEXES = {
    "level": [r"\bbac ?(\+|plus) ?[0-9]\b", r"\bniveau ?[3-8]\b"],
    "place": [r"\b(75|77|78|91|92|93|94|95)\b"],
}


TEMPLATES = {
    "search_campus": [
        "formation {sector}", "formation en {sector} {place}", "campus {sector}", "{level} {sector}",
        "un {level} en {sector}", "{sector} {place}", "je cherche un {level} {place}", "je veux faire {sector}",
        "jveux bosser dans {sector}", "où faire {sector} en {level} ?", "des formations {sector} ?",
        "quel campus pour {sector} ?", "je voudrais étudier {sector} {place}", "formation {level} {sector} {place}",
        "y a quoi en {sector} {place}", "cherche {level} {sector}", "un campus {sector} {place} ?",
        "je veux travailler dans {sector} après un {level}", "formations {level} {place}",
        "slt jcherche une formation {sector}",
        "je veux devenir {sector}", "où faire un {level} {sector} ?", "comment devenir {sector}",
        "je veux être {sector} {place}", "formation pour être {sector}", "{level} {sector} en apprentissage",
        "{sector} en alternance {place}", "où se forme-t-on pour être {sector} ?",
        "y a quoi vers {place} ?", "quels campus à {place} ?", "des formations près de {place}",
        "qu'est-ce qu'on peut faire comme formation à {place}", "les campus vers {place}",
        "quels campus proposent un {level} ?", "les campus qui ont un {level}", "où faire un {level} ?",
    ],
    "tell_interest": [
        "j'aime {sector}", "j'adore {sector}", "je suis passionné de {sector}", "je kiffe {sector}",
        "ma passion c'est {sector}", "{sector} ça me plaît", "je suis fan de {sector}", "je m'intéresse à {sector}",
        "moi ce qui me plait c'est {sector}", "j'aime trop {sector}",
    ],
    "ask_establishment_campus": [
        "{establishment} est dans quel campus ?", "{establishment} fait partie d'un campus ?",
        "quel campus pour {establishment}", "{establishment} participe à quel campus",
        "je suis à {establishment}, c'est dans un campus ?", "{establishment} c'est quel campus",
        "{establishment} est membre d'un campus des métiers ?", "le campus de {establishment}",
    ],
}
EXAMPLES_PER_INTENT = {"search_campus": 140, "tell_interest": 50, "ask_establishment_campus": 40}
SLOT_TERMS = {"sector": ("sector", "job", "field"), "place": ("department", "commune", "academy"),
              "level": ("diploma_kind",),
              "establishment": ("establishment",)}
SEED = 2026


def _without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class _Literal(str):
    """A string written as a YAML block (|), as Rasa's example lists are."""


yaml.SafeDumper.add_representer(
    _Literal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|"))


def _examples(values) -> _Literal:
    return _Literal("".join(f"- {value}\n" for value in values))


def _student_typing(text: str, draw: random.Random) -> str:
    return _without_accents(text).lower() if draw.random() < 1 / 3 else text


def _generated_examples(terms: dict[str, list[str]]) -> list[dict]:
    """Annotated examples from the templates, the same for the same knowledge base."""
    draw = random.Random(SEED)
    pools = {slot: sorted({t for kind in kinds for t in terms.get(kind, []) if len(t) <= 40})
             for slot, kinds in SLOT_TERMS.items()}
    blocks = []
    for intent, templates in TEMPLATES.items():
        examples = set()
        while len(examples) < EXAMPLES_PER_INTENT[intent]:
            template = draw.choice(templates)
            example = re.sub(r"\{(\w+)\}", lambda m: f"[{_student_typing(draw.choice(pools[m.group(1)]), draw)}]"
                                                       f"({m.group(1)})", template)
            examples.add(example)
        blocks.append({"intent": intent, "examples": _examples(sorted(examples))})
    return blocks


def generate(kb: KnowledgeBase) -> dict:
    terms = kb.vocabulary_terms()
    nlu = []
    for name, types in LOOKUPS.items():
        values = []
        for entity_type in types:
            for term in terms.get(entity_type, []):
                values += [term, _without_accents(term)]
        # lower case first, then as written: « BTS » and « bts » in one order whatever the hash seed
        # (the set's order decided it: each rebuild of the base rewrote the file and retrained)
        ordered = sorted(set(values), key=lambda value: (value.lower(), value))
        nlu.append({"lookup": name, "examples": _examples(ordered)})
    for name, patterns in REGEXES.items():
        nlu.append({"regex": name, "examples": _examples(patterns)})
    return {"version": "3.1", "nlu": nlu + _generated_examples(terms)}


def write(content: dict, output: Path = OUTPUT) -> bool:
    """Write the file if its content changed; tell whether it did."""
    text = ("# Generated by `python -m bot.extensions.nlu.lookup_data` from the knowledge base: do not edit.\n"
            + yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=1000))
    if output.exists() and output.read_text(encoding="utf-8") == text:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return True


def main() -> int:
    changed = write(generate(open_knowledge_base()))
    print(f"{OUTPUT.relative_to(PROJECT_ROOT)} : {'mis à jour' if changed else 'inchangé'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
