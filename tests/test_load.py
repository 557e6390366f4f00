"""Load on one assistant: 50 concurrent conversations of 10 turns each get every answer, each
answer in its own conversation's context, and every turn is kept in the conversation store."""

from __future__ import annotations

from tests.conversations import TURNS, play, stored_user_turns


def test_fifty_concurrent_conversations_get_no_error_and_no_crosstalk(stack):
    outcome = play(stack.rasa_url, conversations=50)
    assert outcome.messages == 50 * TURNS
    assert outcome.errors == []
    assert outcome.crosstalk == []
    assert stored_user_turns(f"sqlite:///{stack.conversations_db}", outcome.senders) == \
        {sender: TURNS for sender in outcome.senders}
