"""The held-out messages: text, expected intent, entities and answer, in two sets.

- tests/e2e/dev.yml, the development set: used to choose and tune (model sizes, phrasings,
  fixes); its figures are too kind.
- tests/e2e/locked.yml, the locked test set: written apart, never used to choose anything;
  its figures are the ones reported.

Each message carries either `campus: <key>` (a search whose answer must name that campus) or
`expect: "<fragment>"` (any other answer must contain that fragment), and optionally a
`topic` (`training`: a question about a training, counted apart by the bench).

An answer is right (`is_right`) when the expected campus is among the first three campuses
its text names and the text is not the list of (nearly) every campus; or when it contains the
expected fragment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.settings import PROJECT_ROOT

DEV = PROJECT_ROOT / "tests" / "e2e" / "dev.yml"
LOCKED = PROJECT_ROOT / "tests" / "e2e" / "locked.yml"
SETS = {"développement": DEV, "test verrouillé": LOCKED}
FIRST_NAMED = 3
BUTTONS = "\n[boutons] "
ANNOTATION = re.compile(r"\[([^\]]+)\]\(([a-z_]+)\)")


@dataclass(frozen=True)
class Entity:
    entity: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class HeldOutMessage:
    text: str
    intent: str
    entities: tuple[Entity, ...]
    campus: str | None
    expect: str | None
    topic: str | None = None


def strip_annotations(annotated: str) -> tuple[str, tuple[Entity, ...]]:
    """The plain text and its entities with character offsets in that text."""
    text, entities, position = "", [], 0
    for match in ANNOTATION.finditer(annotated):
        text += annotated[position:match.start()]
        value, entity = match.group(1), match.group(2)
        entities.append(Entity(entity, len(text), len(text) + len(value), value))
        text += value
        position = match.end()
    return text + annotated[position:], tuple(entities)


def load(path: Path = DEV) -> list[HeldOutMessage]:
    messages = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for example in block["examples"]:
            text, entities = strip_annotations(example["text"].strip())
            metadata = example.get("metadata") or {}
            if not (metadata.get("campus") or metadata.get("expect")):
                raise ValueError(f"{path.name}: « {text} » n'a ni `campus` ni `expect`")
            messages.append(HeldOutMessage(text, block["intent"], entities, metadata.get("campus"),
                                           metadata.get("expect"), metadata.get("topic")))
    return messages


def expected_fragment(message: HeldOutMessage, campus_names: dict[str, str]) -> str:
    """What the answer must contain: the expected campus's name or the expected fragment."""
    return campus_names[message.campus] if message.campus else message.expect


def answer_text(messages: list[dict]) -> str:
    """Everything the user sees of the bot's messages: the texts, then the button titles."""
    texts = "\n".join(message.get("text") or "" for message in messages)
    titles = [button["title"] for message in messages for button in message.get("buttons") or []]
    return texts + (BUTTONS + " | ".join(titles) if titles else "")


def campuses_named(text: str, campus_names: dict[str, str]) -> list[str]:
    """The campuses a reply's text names (buttons left out), in the order they first appear."""
    lowered = text.split(BUTTONS)[0].lower()
    positions = {key: lowered.find(name.lower()) for key, name in campus_names.items()}
    return sorted((key for key, at in positions.items() if at >= 0), key=lambda key: positions[key])


def is_right(message: HeldOutMessage, answer: str, campus_names: dict[str, str]) -> bool:
    """The stricter rule: the expected campus among the first three named, and not a list of
    (nearly) every campus; or the expected fragment in what the user sees."""
    if message.campus:
        named = campuses_named(answer, campus_names)
        full_list = len(named) >= max(len(campus_names) - 1, FIRST_NAMED + 1)
        return message.campus in named[:FIRST_NAMED] and not full_list
    return message.expect.lower() in answer.lower()
