"""Where a turn's time goes in the running Rasa server: timers over each stage, for `make bench`.

With CMQ_PROFILE=<file>, bot.extensions.rasa_patches adds timers (see its PROFILING_PATCHES) around:
the REST channel's whole request, the conversation lock, the processor's turn, each component
of the NLU and dialogue graphs, the conversation store's read and write, and each call to the
action server. Every PROFILE_EVERY turns the totals are written to the file as JSON (replaced
whole), so that a server stopped at any time leaves its latest profile. Without the variable
nothing is timed.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from pathlib import Path

PROFILE_ENV = "CMQ_PROFILE"
PROFILE_EVERY = 50

# Stage names, as the bench reports them.
REQUEST, LOCKED, TURN = "request", "locked turn", "turn"
STORE_READ, STORE_WRITE, ACTIONS = "store: read", "store: write", "action server call"


def profile_path(env=os.environ) -> Path | None:
    value = env.get(PROFILE_ENV)
    return Path(value) if value else None


def node_stage(node_name: str) -> str:
    """« run_bot.nlu.spacy_nlp.SpacyNLP0 » -> « graph: SpacyNLP »."""
    name = re.sub(r"^(run_|provide_)", "", node_name)
    return "graph: " + re.sub(r"\d+$", "", name.rsplit(".", 1)[-1])


class StageTimes:
    """Wall time spent in each stage, summed, and the number of turns."""

    def __init__(self, path: Path | None):
        self.path = path
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.turns = 0

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] += seconds
        self.calls[stage] += 1

    def turn_done(self) -> None:
        self.turns += 1
        if self.path and self.turns % PROFILE_EVERY == 0:
            self.write()

    def as_dict(self) -> dict:
        return {"turns": self.turns,
                "stages": {stage: {"ms_per_turn": round(1000 * total / max(self.turns, 1), 3),
                                   "calls": self.calls[stage]}
                           for stage, total in sorted(self.seconds.items(), key=lambda item: -item[1])}}

    def write(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.as_dict(), indent=2), encoding="utf-8")
        os.replace(temporary, self.path)


TIMES = StageTimes(profile_path())


def timed_sync(stage_of, function):
    """`function` with its duration added to the stage `stage_of(*args)` names."""
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMES.add(stage_of(*args), time.perf_counter() - started)
    return wrapper


def timed_async(stage: str, function, turn_ends: bool = False):
    async def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            TIMES.add(stage, time.perf_counter() - started)
            if turn_ends:
                TIMES.turn_done()
    return wrapper
