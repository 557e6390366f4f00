"""The counts of the insights report, from the conversations of a period.

What users typed never becomes a category: an entity's value counts only as the knowledge
base's own name for it (sector, level, place, job word); a value the base does not know is
counted as « non reconnu ». Definitions, as the README states them:
- a conversation belongs to the day of its first message in the period (UTC);
- a search without result: a search whose answer listed no campus and no training;
- a fallback: a message the NLU could not classify, or answered by the rephrase prompt;
- a rephrasing: the next message of the same conversation, within REPHRASE_SECONDS, has the
  same intent (the user likely said it again because the answer missed).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.insights.store import Conversation

REPHRASE_SECONDS = 60
SEARCH_ACTIONS = frozenset({"action_search_campus", "action_search_from_form", "action_list_campuses"})
FALLBACK_ACTIONS = frozenset({"action_suggest_rephrase", "action_default_fallback"})
UNKNOWN, ANY = "non reconnu", "indifférent"


@dataclass
class Insights:
    conversations: int = 0
    messages: int = 0
    by_day: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))  # day -> [conv, msgs]
    intents: Counter = field(default_factory=Counter)
    sectors: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)
    jobs: Counter = field(default_factory=Counter)
    unmet: Counter = field(default_factory=Counter)  # (sector, level, place) -> searches without result
    jobs_not_covered: Counter = field(default_factory=Counter)
    # intent -> [messages, fallbacks, rephrasings]
    by_intent: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    human_help: int = 0
    buttons: Counter = field(default_factory=Counter)
    channels: Counter = field(default_factory=Counter)
    lengths: list[int] = field(default_factory=list)

    @property
    def median_length(self) -> float:
        return statistics.median(self.lengths) if self.lengths else 0


class Labeller:
    """The knowledge base's names for what a message asks (never the user's words)."""

    def __init__(self, kb):
        self.kb = kb

    def sectors(self, value: str) -> list[str]:
        query = self.kb.resolver.sector(value)
        return [self.kb.sector_names[key] for key in sorted(query.keys)] if query and query.keys else []

    def jobs(self, value: str, kind: str = "job") -> list[str]:
        return list(dict.fromkeys(mention.term.text for mention in self.kb.vocabulary.find(value, {kind})))

    def level(self, value: str) -> str | None:
        query = self.kb.resolver.level(value)
        return query.label if query else None

    def place(self, value: str) -> str | None:
        query = self.kb.resolver.place(value)
        return query.label if query else None

    def criterion(self, kind: str, value) -> str:
        if not value:
            return ANY
        value = str(value)
        if kind == "sector":
            return ", ".join(self.sectors(value) or self.jobs(value, "field")) or UNKNOWN
        return (self.level(value) if kind == "level" else self.place(value)) or UNKNOWN


def tally(conversations: Iterable[Conversation], kb) -> Insights:
    labels = Labeller(kb)
    found = Insights()
    for conversation in conversations:
        messages = conversation.messages
        found.conversations += 1
        found.by_day[messages[0].at.date().isoformat()][0] += 1
        found.lengths.append(len(messages))
        for index, message in enumerate(messages):
            _count_message(found, labels, message, conversation.after[index],
                           messages[index + 1] if index + 1 < len(messages) else None)
    return found


def _count_message(found: Insights, labels: Labeller, message, after, following) -> None:
    found.messages += 1
    found.by_day[message.at.date().isoformat()][1] += 1
    intent = message.intent or "inconnue"
    found.intents[intent] += 1
    found.channels[message.channel or "inconnu"] += 1
    if message.button:
        found.buttons[message.button] += 1
    if intent == "ask_human":
        found.human_help += 1
    for entity, value in message.entities:
        if entity == "sector":
            found.sectors.update(labels.sectors(value))
            found.jobs.update(labels.jobs(value))
            found.jobs_not_covered.update(labels.jobs(value, "field"))
        elif entity == "level":
            found.levels[labels.level(value) or UNKNOWN] += 1
        elif entity == "place":
            found.places[labels.place(value) or UNKNOWN] += 1
    actions = {name for kind, name in after if kind == "action"}
    slots = dict(value for kind, value in after if kind == "slot")
    if actions & SEARCH_ACTIONS and slots.get("last_results") == [] and not slots.get("last_trainings"):
        found.unmet[tuple(labels.criterion(kind, slots.get(kind)) for kind in ("sector", "level", "place"))] += 1
    counts = found.by_intent[intent]
    counts[0] += 1
    counts[1] += intent == "nlu_fallback" or bool(actions & FALLBACK_ACTIONS)
    counts[2] += bool(following and not following.button and following.intent == message.intent
                      and (following.at - message.at).total_seconds() <= REPHRASE_SECONDS)
