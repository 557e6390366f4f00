"""What the Rasa server reads of a message (bot.extensions.safeguards), on examples and on generated text
(hypothesis), and the endpoints made from the environment (bot.ops.endpoints)."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.extensions.safeguards import MAX_MESSAGE_CHARS, START_PAYLOADS, clean_message
from bot.ops.endpoints import endpoints, render
from knowledge.settings import PROJECT_ROOT

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_clean_message_removes_what_is_not_words():
    assert clean_message("campus\x00 <i>santé</i>\x1b[0m") == "campus   santé  "
    assert clean_message("<script>alert(1)</script>") == " alert(1) "
    assert clean_message("un bac <3 ans ? a<b") == "un bac <3 ans ? a<b"  # not tags: kept
    assert clean_message("campus \ud800") == "campus ?"
    assert clean_message(None) == "" and clean_message({"text": "x"}) == ""
    assert clean_message("é" * 100_000) == "é" * MAX_MESSAGE_CHARS


@pytest.mark.parametrize("payload", ["/get_started", "/start", "GET_STARTED", " /get_started "])
def test_the_start_payload_of_a_channel_is_a_greeting(payload):
    assert clean_message(payload) == "/greet"
    assert clean_message("/start_guided_search") == "/start_guided_search"


@given(st.text(max_size=3000))
@settings(max_examples=300)
def test_a_cleaned_message_is_bounded_printable_utf8(text):
    cleaned = clean_message(text)
    assert len(cleaned) <= MAX_MESSAGE_CHARS
    assert not CONTROL.search(cleaned)
    cleaned.encode("utf-8")  # storable in PostgreSQL and JSON: no lone surrogate, no NUL


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"], exclude_characters="<>\x1b"),
               max_size=1500))
@settings(max_examples=300)
def test_ordinary_text_is_only_cut(text):
    assume(text.strip() not in START_PAYLOADS)
    assert clean_message(text) == text[:MAX_MESSAGE_CHARS].encode("utf-8", "replace").decode("utf-8")


def test_the_committed_endpoints_file_is_the_default_configuration():
    assert (PROJECT_ROOT / "endpoints.yml").read_text(encoding="utf-8") == render({})


def test_production_endpoints_use_postgresql_and_redis_from_the_environment():
    config = endpoints({"CMQ_TRACKER_DB_URL": "postgresql://cmq:pw@db:5432/cmq",
                        "CMQ_REDIS_URL": "redis://:pw@cache:6380/2", "CMQ_ACTION_URL": "http://lb:5055/webhook"})
    assert config["tracker_store"] == {"type": "bot.extensions.stores.ConversationStore",
                                       "url": "postgresql://cmq:pw@db:5432/cmq"}
    assert config["lock_store"] == {"type": "bot.extensions.stores.ExpiringRedisLockStore", "url": "cache",
                                    "port": 6380, "db": 2, "key_prefix": "cmq", "password": "pw"}
    assert config["action_endpoint"]["url"] == "http://lb:5055/webhook"
    assert yaml.safe_load(render({"CMQ_REDIS_URL": "redis://cache"}))["lock_store"]["db"] == 1
