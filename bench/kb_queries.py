"""Time of the knowledge-base queries the actions make, measured in-process.

    python -m bench.kb_queries [--repeat 200]

Plays a fixed mix of searches, campus details, establishment and level look-ups, as the
actions call them, and prints p50/p95/p99 in milliseconds per query kind.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.load import percentile
from knowledge.queries import open_knowledge_base

MIX = [
    ("search", lambda kb: kb.search(sector="aeronotique")),
    ("search", lambda kb: kb.search(level="BTS", place="dans le 93")),
    ("search", lambda kb: kb.search(sector="santé", level="master", place="94")),
    ("search", lambda kb: kb.search(status="excellence")),
    ("campus", lambda kb: kb.campus("le campus santé")),
    ("campus", lambda kb: kb.campus("creation-numerique")),
    ("establishment", lambda kb: kb.campuses_of("lycée Darius-Milhaud")),
    ("level", lambda kb: kb.explain_level("bac+2")),
]


def measure(repeat: int = 200) -> dict[str, list[float]]:
    """Milliseconds per query, by kind, and all together under "all"."""
    kb = open_knowledge_base()
    timings: dict[str, list[float]] = {}
    for _ in range(repeat):
        for kind, query in MIX:
            started = time.perf_counter()
            query(kb)
            timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    timings["all"] = [t for kind in list(timings) for t in timings[kind]]
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.kb_queries", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    timings = measure(args.repeat)
    print(f"{'query':>14} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for kind, values in timings.items():
        print(f"{kind:>14} {len(values):>6} {percentile(values, .5):>7.2f} {percentile(values, .95):>7.2f} "
              f"{percentile(values, .99):>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
