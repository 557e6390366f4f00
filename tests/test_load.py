"""Load on one assistant: 50 concurrent conversations of 10 turns each get every answer, each
answer in its own conversation's context, and every turn is kept in the conversation store."""

from __future__ import annotations

import sqlite3

from tests.conversations import TURNS, play


def test_fifty_concurrent_conversations_get_no_error_and_no_crosstalk(stack):
    outcome = play(stack.rasa_url, conversations=50)
    assert outcome.messages == 50 * TURNS
    assert outcome.errors == []
    assert outcome.crosstalk == []
    with sqlite3.connect(stack.conversations_db) as database:
        for sender in outcome.senders:
            (count,) = database.execute("SELECT count(*) FROM events WHERE sender_id = ? AND type_name = 'user'",
                                        (sender,)).fetchone()
            assert count == TURNS, sender
