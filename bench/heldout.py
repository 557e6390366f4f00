"""The held-out messages (tests/e2e/heldout.yml): text, expected intent, entities and answer.

Each message carries either `campus: <key>` (a search whose answer must name that campus) or
`expect: "<fragment>"` (any other answer must contain that fragment), and optionally a
`topic` (`training`: a question about a training, counted apart by the bench).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.settings import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "e2e" / "heldout.yml"
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


def load(path: Path = HELDOUT) -> list[HeldOutMessage]:
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
    """Everything the user sees of the bot's messages: texts and button titles."""
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button["title"] for button in message.get("buttons") or []]
    return "\n".join(parts)
