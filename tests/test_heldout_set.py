"""The held-out set is fit for measuring: big enough, consistent with the data, never trained on."""

from __future__ import annotations

import re

import yaml

from bench.heldout import load, strip_annotations
from knowledge.settings import PROJECT_ROOT


def _training_texts() -> set[str]:
    texts = set()
    for path in (PROJECT_ROOT / "data").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                texts.add(strip_annotations(re.sub(r"^\s*-\s*", "", line))[0].strip().lower())
    return texts


def test_the_set_has_at_least_250_messages_over_every_question_kind():
    messages = load()
    assert len(messages) >= 250
    assert len({m.intent for m in messages}) >= 30


def test_no_held_out_message_is_in_the_training_data():
    training = _training_texts()
    assert [m.text for m in load() if m.text.lower() in training] == []


def test_expected_campuses_and_intents_exist():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    campus_keys = {p.stem for p in (PROJECT_ROOT / "knowledge" / "data" / "campuses").glob("*.yml")}
    messages = load()
    assert {m.intent for m in messages} <= set(domain["intents"])
    assert {m.campus for m in messages if m.campus} <= campus_keys


def test_annotations_become_spans_of_the_plain_text():
    text, entities = strip_annotations("un [bts](level) dans le [93](place) svp")
    assert text == "un bts dans le 93 svp"
    assert [(e.entity, text[e.start:e.end]) for e in entities] == [("level", "bts"), ("place", "93")]
