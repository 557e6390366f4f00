"""The held-out sets are fit for measuring: big enough, consistent with the data, and apart
from the training data: no message equal to a training example once case, accents,
punctuation and spaces are normalised, nor 90 % similar to one."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
import yaml
from rapidfuzz import fuzz, process

from bench.heldout import DEV, LOCKED, load, strip_annotations
from knowledge.settings import PROJECT_ROOT
from knowledge.textnorm import normalize

SIMILAR = 90  # rapidfuzz ratio, 0-100


@lru_cache(maxsize=1)
def _training_texts() -> tuple[str, ...]:
    """Every training example of data/ (the generated knowledge-base examples included), normalised."""
    texts = set()
    for path in (PROJECT_ROOT / "data").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in (block.get("examples") or "").splitlines():
                texts.add(normalize(strip_annotations(re.sub(r"^\s*-\s*", "", line))[0]))
    texts.discard("")
    return tuple(texts)


def _too_close(path) -> list[str]:
    training = _training_texts()
    close = []
    for message in load(path):
        text = normalize(message.text)
        match = process.extractOne(text, training, scorer=fuzz.ratio, score_cutoff=SIMILAR)
        if match:
            close.append(f"« {message.text} » ~ « {match[0]} » ({match[1]:.0f} %)")
    return close


def test_the_training_data_is_read():
    assert len(_training_texts()) > 1000


@pytest.mark.parametrize("path", [DEV, LOCKED], ids=["dev", "locked"])
def test_no_held_out_message_is_a_training_example_or_90_percent_like_one(path):
    assert _too_close(path) == []


def test_the_locked_set_covers_every_intent_and_entity_with_300_messages():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    messages = load(LOCKED)
    assert len(messages) >= 300
    assert {m.intent for m in messages} == set(domain["intents"]) - {"nlu_fallback"}
    annotated = {e.entity for m in messages for e in m.entities}
    assert annotated >= {"sector", "level", "place", "campus", "establishment", "status", "member_type"}


def test_the_development_set_has_400_messages_over_every_intent():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    messages = load(DEV)
    assert len(messages) >= 400
    assert {m.intent for m in messages} == set(domain["intents"]) - {"nlu_fallback"}


@pytest.mark.parametrize("path", [DEV, LOCKED], ids=["dev", "locked"])
def test_expected_campuses_and_intents_exist(path):
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    campus_keys = {p.stem for p in (PROJECT_ROOT / "knowledge" / "data" / "campuses").glob("*.yml")}
    messages = load(path)
    assert {m.intent for m in messages} <= set(domain["intents"])
    assert {m.campus for m in messages if m.campus} <= campus_keys


def test_no_development_message_is_a_locked_message_or_90_percent_like_one():
    """What is tuned on the development set must not be tuned on the locked test by proxy."""
    locked = tuple(normalize(m.text) for m in load(LOCKED))
    alike = [m.text for m in load(DEV)
             if process.extractOne(normalize(m.text), locked, scorer=fuzz.ratio, score_cutoff=SIMILAR)]
    assert alike == []


def test_annotations_become_spans_of_the_plain_text():
    text, entities = strip_annotations("un [bts](level) dans le [93](place) svp")
    assert text == "un bts dans le 93 svp"
    assert [(e.entity, text[e.start:e.end]) for e in entities] == [("level", "bts"), ("place", "93")]
