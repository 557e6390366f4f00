"""The conversation store (bot.extensions.stores.ConversationStore) keeps conversations between turns
without ever giving back a conversation that differs from the database: what another server
wrote is read, a turn that was not saved is dropped, only new events are written; on SQLite
and PostgreSQL. And the Redis lock store's locks do not stay held by a dead server."""

from __future__ import annotations

import asyncio
import time

import sqlalchemy as sa
from rasa.core.lock import Ticket
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from sqlalchemy import text

from bot.extensions.stores import ConversationStore, ExpiringTicketLock

DOMAIN = Domain.from_dict({"slots": {"campus": {"type": "text", "mappings": [{"type": "custom"}]}}})


def stored_events(store, sender="zoe") -> int:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def turn(tracker, text_: str, campus: str | None = None) -> None:
    tracker.update(UserUttered(text_))
    tracker.update(ActionExecuted("action_search_campus"))
    if campus:
        tracker.update(SlotSet("campus", campus))
    tracker.update(BotUttered(f"réponse à {text_}"))
    tracker.update(ActionExecuted("action_listen"))


def test_a_kept_conversation_is_the_one_in_the_database_and_only_new_events_are_written(conversations_url):
    async def scenario():
        store = ConversationStore(DOMAIN, host=conversations_url)
        tracker = await store.get_or_create_tracker("zoe")
        turn(tracker, "un bts", "creation-numerique")
        await store.save(tracker)
        again = await store.retrieve("zoe")
        assert again is tracker  # kept: not read back and replayed
        turn(again, "et en apprentissage ?")
        await store.save(again)
        fresh = ConversationStore(DOMAIN, host=conversations_url)  # a server that never saw the conversation
        from_db = await fresh.retrieve("zoe")
        assert [e.as_dict() for e in from_db.events] == [e.as_dict() for e in again.events]
        assert stored_events(store) == len(again.events)  # nothing written twice
        assert from_db.get_slot("campus") == "creation-numerique"
    asyncio.run(scenario())


def test_what_another_server_wrote_is_read_before_the_next_turn(conversations_url):
    async def scenario():
        here, there = (ConversationStore(DOMAIN, host=conversations_url) for _ in range(2))
        tracker = await here.get_or_create_tracker("zoe")
        turn(tracker, "bonjour")
        await here.save(tracker)
        other = await there.retrieve("zoe")
        turn(other, "le campus santé", "sante-bien-vieillir")
        await there.save(other)
        back = await here.retrieve("zoe")
        assert [e.as_dict() for e in back.events] == [e.as_dict() for e in other.events]
        assert back.get_slot("campus") == "sante-bien-vieillir"
        turn(back, "et les partenaires ?")
        await here.save(back)
        assert stored_events(here) == len(back.events)
    asyncio.run(scenario())


def test_a_turn_that_was_not_saved_is_not_given_back(conversations_url):
    async def scenario():
        store = ConversationStore(DOMAIN, host=conversations_url)
        tracker = await store.get_or_create_tracker("zoe")
        turn(tracker, "bonjour")
        await store.save(tracker)
        turn(tracker, "une question dont la réponse a échoué")  # no save: the turn failed
        back = await store.retrieve("zoe")
        assert back is not tracker and len(back.events) == stored_events(store)
    asyncio.run(scenario())


def test_with_no_room_every_turn_reads_the_database(conversations_url, monkeypatch):
    monkeypatch.setenv("CMQ_CONVERSATIONS_IN_MEMORY", "0")
    async def scenario():
        store = ConversationStore(DOMAIN, host=conversations_url)
        tracker = await store.get_or_create_tracker("zoe")
        turn(tracker, "bonjour")
        await store.save(tracker)
        assert await store.retrieve("zoe") is not tracker
    asyncio.run(scenario())


def test_the_least_recently_used_conversations_leave_memory_first(tmp_path, monkeypatch):
    monkeypatch.setenv("CMQ_CONVERSATIONS_IN_MEMORY", "2")
    async def scenario():
        store = ConversationStore(DOMAIN, host=f"sqlite:///{tmp_path / 'c.db'}")
        trackers = {}
        for sender in ("a", "b", "c"):
            trackers[sender] = await store.get_or_create_tracker(sender)
        assert await store.retrieve("a") is not trackers["a"]  # dropped when c arrived
        assert await store.retrieve("c") is trackers["c"]
    asyncio.run(scenario())


def test_sqlite_keeps_a_write_ahead_log(tmp_path):
    import sqlite3

    store = ConversationStore(DOMAIN, host=f"sqlite:///{tmp_path / 'conversations.db'}")
    asyncio.run(store.get_or_create_tracker("zoe"))
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    store.engine.dispose()
    with sqlite3.connect(tmp_path / "conversations.db") as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_waiting_message_is_served_once_no_earlier_ticket_is_alive():
    now = time.time()
    dead_server, waiting = Ticket(1, now - 1), Ticket(2, now - 0.5)  # both lifetimes over
    stalled = ExpiringTicketLock("conversation", [dead_server, waiting])
    assert stalled.now_serving != 2  # Rasa's rule (locked unless now serving): never served
    assert not stalled.is_locked(2)
    busy = ExpiringTicketLock("conversation", [Ticket(1, now + 10), Ticket(2, now + 10), Ticket(3, now + 10)])
    assert busy.is_locked(2) and busy.is_locked(3)
    assert not busy.is_locked(1)




def test_a_long_conversation_is_kept_short_with_its_slots_and_the_database_keeps_it_all(conversations_url, monkeypatch):
    import bot.extensions.stores as stores

    monkeypatch.setattr(stores, "COMPACT_AFTER_EVENTS", 40)
    monkeypatch.setattr(stores, "KEPT_ACTIONS", 6)

    async def scenario():
        store = ConversationStore(DOMAIN, host=conversations_url)
        tracker = await store.get_or_create_tracker("zoe")
        turn(tracker, "le campus santé", "sante-bien-vieillir")
        for number in range(12):
            turn(tracker, f"question {number}")
            await store.save(tracker)
            tracker = await store.retrieve("zoe")
        assert len(tracker.events) < 40  # kept short: Rasa's copy before each action stays cheap
        assert tracker.get_slot("campus") == "sante-bien-vieillir"
        assert tracker.copy().get_slot("campus") == "sante-bien-vieillir"  # replayed, as Rasa does
        total = stored_events(store)
        turn(tracker, "et les partenaires ?")
        store.forget()  # the conversation left memory between the turn and its saving
        await store.save(tracker)
        assert stored_events(store) == total + 4  # the turn's events, none lost, none twice
        fresh = await ConversationStore(DOMAIN, host=conversations_url).retrieve("zoe")
        assert fresh.get_slot("campus") == "sante-bien-vieillir"
        assert fresh.latest_message.text == "et les partenaires ?"
    asyncio.run(scenario())


def test_a_sqlite_file_is_opened_once_not_at_every_read_and_write(tmp_path):
    async def scenario():
        store = ConversationStore(DOMAIN, host=f"sqlite:///{tmp_path / 'conversations.db'}")
        opened = []
        sa.event.listen(store.engine, "connect", lambda *_: opened.append(1))
        tracker = await store.get_or_create_tracker("zoe")
        for number in range(5):
            turn(tracker, f"question {number}")
            await store.save(tracker)
            store.forget()  # read back from the database at each turn
            tracker = await store.retrieve("zoe")
        assert stored_events(store) == len(tracker.events) > 20 and tracker.latest_message.text == "question 4"
        return len(opened)
    assert asyncio.run(scenario()) == 1
