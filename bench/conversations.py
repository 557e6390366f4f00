"""Scripted conversations written from personas (tests/e2e/conversations.yml), played through
the REST channel of the served assistant: the share of turns whose reply behaves as expected.

A turn is right when its reply (texts and button titles, as the user sees them) contains every
`expect` fragment and none of the `expect_not` ones, case ignored. Each conversation has its
own sender, so follow-ups, forms and the campus in focus are those of a real conversation.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.heldout import answer_text
from knowledge.settings import PROJECT_ROOT

CONVERSATIONS = PROJECT_ROOT / "tests" / "e2e" / "conversations.yml"
PERSONAS = ("eleve", "parent", "conseiller", "adversaire")


@dataclass(frozen=True)
class Turn:
    say: str
    expect: tuple[str, ...]
    expect_not: tuple[str, ...] = ()

    def is_right(self, answer: str) -> bool:
        lowered = answer.lower()
        return (all(fragment.lower() in lowered for fragment in self.expect)
                and not any(fragment.lower() in lowered for fragment in self.expect_not))


@dataclass(frozen=True)
class Conversation:
    name: str
    persona: str
    turns: tuple[Turn, ...]


@dataclass
class ConversationScores:
    conversations: int
    turns: int
    turns_right: int
    share_right: float
    by_persona: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def load(path: Path = CONVERSATIONS) -> list[Conversation]:
    conversations = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
        turns = tuple(Turn(t["say"], tuple(t.get("expect") or ()), tuple(t.get("expect_not") or ()))
                      for t in item["turns"])
        conversations.append(Conversation(item["name"], item["persona"], turns))
    return conversations


def play(ask: Callable[[str, str], str], conversations: list[Conversation]) -> ConversationScores:
    """Play every conversation with `ask(sender, text) -> answer` and score each turn."""
    right_by_persona: dict[str, list[bool]] = defaultdict(list)
    failures = []
    for conversation in conversations:
        sender = f"conversation-{uuid.uuid4().hex}"
        for number, turn in enumerate(conversation.turns, start=1):
            answer = ask(sender, turn.say)
            right = turn.is_right(answer)
            right_by_persona[conversation.persona].append(right)
            if not right:
                failures.append(f"- {conversation.name}, tour {number} « {turn.say} » : attendu {list(turn.expect)}"
                                + (f" sans {list(turn.expect_not)}" if turn.expect_not else "")
                                + f", reçu « {answer[:200]} »")
    results = [right for rights in right_by_persona.values() for right in rights]
    return ConversationScores(
        len(conversations), len(results), sum(results), round(sum(results) / len(results), 4),
        {persona: round(sum(r) / len(r), 4) for persona, r in sorted(right_by_persona.items())}, failures)


def rest_asker(url: str, timeout: float = 60) -> Callable[[str, str], str]:
    """`ask(sender, text)` through the REST channel at `url`."""
    def ask(sender: str, text: str) -> str:
        request = urllib.request.Request(url + "/webhooks/rest/webhook",
                                         json.dumps({"sender": sender, "message": text}).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return answer_text(json.loads(response.read() or b"[]"))
    return ask
