"""Bad input through the REST channel of the running assistant: every odd message gets a clear
French answer, every malformed request a clear HTTP error, quickly; afterwards the knowledge base
file is byte-for-byte unchanged and the conversation goes on normally."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid

import pytest

from bot.extensions.safeguards import MAX_MESSAGE_CHARS
from knowledge.settings import DEFAULT_DB_PATH
from tests.assistant import post_rest, say

ODD_MESSAGES = {
    "empty": "",
    "whitespace": " \t\n  ",
    "100k characters": "aéronautique " * 7_692 + "x",
    "emoji": "😀🚀✈️🎓",
    "control characters": "\x00\x1b[31m\x07\x08",
    "html": "<b>bonjour</b><script>alert('x')</script>",
    "sql": "'; DROP TABLE campus; --",
    "english": "what will the weather be like tomorrow?",
    "arabic": "أريد أن أدرس الطيران",
    "chinese": "我想学习航空",
    "lone surrogate": "campus \ud800",
}


def knowledge_base_digest() -> str:
    return hashlib.sha256(DEFAULT_DB_PATH.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ODD_MESSAGES)
def test_an_odd_message_gets_an_answer_and_the_conversation_goes_on(stack, name):
    before = knowledge_base_digest()
    sender = f"odd-{uuid.uuid4().hex}"
    status, messages = post_rest(stack.rasa_url, {"sender": sender, "message": ODD_MESSAGES[name]})
    assert status == 200 and messages and messages[0].get("text"), messages
    assert "<script" not in str(messages)
    assert "Aéronautique et spatial" in say(stack.rasa_url, sender, "quels campus pour l'aéronautique ?")
    assert knowledge_base_digest() == before


def test_foreign_languages_are_told_to_write_in_french(stack):
    for name in ("english", "arabic", "chinese"):
        answer = say(stack.rasa_url, f"lang-{uuid.uuid4().hex}", ODD_MESSAGES[name])
        assert "français" in answer


def stored_user_texts(stack, sender: str) -> list[str]:
    with sqlite3.connect(stack.conversations_db) as database:
        rows = database.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                                (sender,)).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_an_overlong_message_is_cut_before_it_is_read_and_stored(stack):
    sender = f"long-{uuid.uuid4().hex}"
    say(stack.rasa_url, sender, "é" * 100_000)
    assert [len(text) for text in stored_user_texts(stack, sender)] == [MAX_MESSAGE_CHARS]


def test_control_characters_and_tags_are_not_stored(stack):
    sender = f"ctrl-{uuid.uuid4().hex}"
    say(stack.rasa_url, sender, "campus\x00 <i>santé</i>\x1b[0m")
    (stored,) = stored_user_texts(stack, sender)
    assert "\x00" not in stored and "<i>" not in stored and "santé" in stored


MALFORMED = [  # body, content type, expected status, words of the French error
    (b"{pas du json", "application/json", 400, "JSON valide"),
    (b"", "application/json", 400, "JSON valide"),
    (b"\xff\xfe\x00", "application/json", 400, "JSON valide"),
    (b'["sender", "message"]', "application/json", 400, "objet JSON"),
    (b'{"message": "bonjour"}', "application/json", 400, "sender"),
    (b'{"sender": "", "message": "bonjour"}', "application/json", 400, "sender"),
    (b'{"sender": "x", "message": 42}', "application/json", 400, "message"),
    (b'{"sender": "x", "message": "bonjour"}', "text/plain", 415, "Content-Type"),
    (b"sender=x&message=bonjour", "application/x-www-form-urlencoded", 415, "Content-Type"),
    (b'{"sender": "x", "message": "bonjour"}', None, 415, "Content-Type"),
    (b'{"sender": "x", "message": "' + b"a" * 1_000_001 + b'"}', "application/json", 413, "trop longue"),
]


@pytest.mark.parametrize("body, content_type, status, words", MALFORMED, ids=lambda value: repr(value)[:30])
def test_a_malformed_request_gets_a_clear_http_error(stack, body, content_type, status, words):
    got_status, answer = post_rest(stack.rasa_url, body, content_type=content_type)
    assert got_status == status and words in answer["error"]
    assert "Aéronautique et spatial" in say(stack.rasa_url, uuid.uuid4().hex, "quels campus pour l'aéronautique ?")


def test_babble_is_asked_to_rephrase_whatever_its_intent():
    from actions.search import ActionListCampuses
    from tests.test_actions import run, tracker

    [message], events = run(ActionListCampuses(), tracker(" ".join(["bla"] * 40), intent="list_campuses"))
    assert message["text"].startswith("Je ne suis pas sûr d'avoir compris")
    assert events == []
    [message], _ = run(ActionListCampuses(), tracker("liste liste des campus", intent="list_campuses"))
    assert message["text"].startswith("Mes données comptent")
