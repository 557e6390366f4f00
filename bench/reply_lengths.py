"""Length of the answers about a campus, as a student reads them: the first answer (the card's
text), the « Plus de détails » answer, and how much of them is web addresses.

    python -m bench.reply_lengths

Runs the campus action in-process for every campus of the knowledge base, as Rasa would.
"""

from __future__ import annotations

import re
import statistics
import sys

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.campus_info import ActionCampusDetails

ADDRESS = re.compile(r"https?://\S+")


def _answer(campus: str, events: list[dict]) -> dict:
    message = {"text": "/ask_campus_details", "intent": {"name": "ask_campus_details", "confidence": 1.0},
               "entities": [{"entity": "campus", "value": campus}]}
    dispatcher = CollectingDispatcher()
    ActionCampusDetails().run(dispatcher, Tracker("bench", {}, message, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages[0]


def _summary(texts: list[str]) -> dict:
    lengths = [len(text) for text in texts]
    addresses = sum(len(found) for text in texts for found in ADDRESS.findall(text))
    return {"min": min(lengths), "median": statistics.median(lengths), "max": max(lengths),
            "address_share": round(addresses / sum(lengths), 3)}


def measure() -> dict:
    """Characters of the first answer and of « Plus de détails », over every campus."""
    from actions.base import knowledge_base

    first, more = [], []
    for campus in knowledge_base().all_campuses():
        card = _answer(campus.key, [])
        first.append(card["text"])
        shown = [{"event": "user", "text": campus.short_name},
                 {"event": "bot", "text": card["text"], "data": {"buttons": card["buttons"], "custom": card["custom"]}},
                 {"event": "user", "text": "Plus de détails"}]
        more.append(_answer(campus.key, shown)["text"])
    return {"campuses": len(first), "first": _summary(first), "more": _summary(more)}


def main() -> int:
    found = measure()
    for name, label in (("first", "première réponse"), ("more", "« Plus de détails »")):
        figures = found[name]
        print(f"{label:>22} : {figures['min']}–{figures['max']} caractères, médiane {figures['median']}, "
              f"adresses web {figures['address_share']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
