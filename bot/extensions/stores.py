"""The conversation and lock stores of the Rasa server, declared in endpoints.yml (Rasa's
extension points for stores; bot/ops/endpoints.py writes their `type`).

`ConversationStore`, Rasa's SQL tracker store (SQLite by default, PostgreSQL in production) with:
- conversations kept in memory between turns, so that a turn's cost does not grow with the
  conversation: Rasa reads back and replays every event of the session at each message
  (20 % of a turn after 30 turns, most of it after 100). A kept conversation is used only
  when the database holds no newer event for it (one indexed query, through SQLAlchemy Core
  rather than an ORM session: another server of the cluster may have answered in between, whose
  new events are then read and applied), and only
  when the previous turn was saved whole; saving writes only the events added since.
  At most CMQ_CONVERSATIONS_IN_MEMORY conversations are kept (default 256), the least
  recently used dropped first. A kept conversation longer than COMPACT_AFTER_EVENTS events is
  reduced to its last KEPT_ACTIONS actions, with the slots and the form of the whole
  conversation (bot.extensions.recent): Rasa copies the conversation by replaying every event
  before each action, a cost that grew with the conversation. The database keeps everything.
- SQLite in write-ahead-log mode, synced at checkpoints (synchronous=NORMAL): Rasa synced the
  disk at every message; a crash of the process loses nothing, a power cut may lose the last
  messages. Its connections are kept open in a pool: Rasa opened and closed one for each read
  and each write (SQLAlchemy's default for a SQLite file), and closing one checkpointed the log,
  a third of a turn's time in the store.

`ExpiringRedisLockStore`, Rasa's Redis lock store whose locks no longer stay held forever by a
server that died while holding one: Rasa served a waiting message only if it was first in
line, so a message whose own ticket expired while it waited (as long as the dead server's)
was never served; now it is served once no earlier ticket is alive.
"""

from __future__ import annotations

import itertools
import json
import os
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.lock import TicketLock
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.extensions.recent import recent_tracker

CACHE_SIZE_ENV = "CMQ_CONVERSATIONS_IN_MEMORY"
DEFAULT_CACHE_SIZE = 256
COMPACT_AFTER_EVENTS = 300  # about 30 turns
KEPT_ACTIONS = 60  # above what the policies read (bot.extensions.policies.RECENT_ACTIONS)


@dataclass
class _Kept:
    tracker: DialogueStateTracker
    last_id: int | None  # the id of the conversation's last event in the database


SAVED = "_events_in_database"  # set on each tracker this store gives: how many of its events are stored


def _saved(tracker: DialogueStateTracker) -> int | None:
    return getattr(tracker, SAVED, None)


def _sqlite_without_fsync_per_message(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=WAL")
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def cache_size(env=os.environ) -> int:
    try:
        return max(0, int(env.get(CACHE_SIZE_ENV) or DEFAULT_CACHE_SIZE))
    except ValueError:
        return DEFAULT_CACHE_SIZE


class ConversationStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore with conversations kept between turns (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, poolclass=sa.pool.QueuePool,
                                           connect_args={"check_same_thread": False})
            sa.event.listen(self.engine, "connect", _sqlite_without_fsync_per_message)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self.capacity = cache_size()
        self._kept: OrderedDict[str, _Kept] = OrderedDict()

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        kept = self._kept.get(sender_id)
        if kept is not None and len(kept.tracker.events) == _saved(kept.tracker):
            events = self.SQLEvent.__table__
            with self.engine.connect() as connection:  # SQLAlchemy Core: half the ORM session's cost per turn
                newer = connection.execute(sa.select(events.c.id, events.c.data)
                                           .where(events.c.sender_id == sender_id, events.c.id > (kept.last_id or 0))
                                           .order_by(events.c.id)).all()
            for row in newer:  # written by another server since this one's last turn
                kept.tracker.update(Event.from_parameters(json.loads(row.data)))
            if newer:
                setattr(kept.tracker, SAVED, len(kept.tracker.events))
                kept.last_id = newer[-1].id
            self._kept.move_to_end(sender_id)
            return kept.tracker
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
        self._kept.pop(sender_id, None)
        if not rows or not self.domain:
            return None
        tracker = DialogueStateTracker.from_dict(sender_id, [json.loads(row.data) for row in rows], self.domain.slots)
        return self._keep(tracker, rows[-1].id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        kept, saved = self._kept.get(tracker.sender_id), _saved(tracker)
        rows = []
        with self.session_scope() as session:
            if saved is not None and len(tracker.events) >= saved:  # a tracker this store gave
                events = itertools.islice(tracker.events, saved, None)
            else:
                events = self._additional_events(session, tracker)
            for event in events:
                data = event.as_dict()
                rows.append({"sender_id": tracker.sender_id, "type_name": event.type_name,
                             "timestamp": data.get("timestamp"),
                             "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                             "action_name": data.get("name"), "data": json.dumps(data)})
            last_id = self._insert(session, rows) if rows else (
                kept.last_id if kept is not None and kept.tracker is tracker else
                self._last_id(session, tracker.sender_id))
            session.commit()
        self._keep(tracker, last_id)

    def _insert(self, session, rows: list[dict[str, Any]]) -> int:
        """Insert the rows (one statement for all but the last), and return the last one's id."""
        table = self.SQLEvent.__table__
        if len(rows) > 1:
            session.execute(table.insert(), rows[:-1])
        return session.execute(table.insert().values(rows[-1])).inserted_primary_key[0]

    def _last_id(self, session, sender_id: str) -> int | None:
        return session.query(sa.func.max(self.SQLEvent.id)).filter(self.SQLEvent.sender_id == sender_id).scalar()

    def _keep(self, tracker: DialogueStateTracker, last_id: int | None) -> DialogueStateTracker:
        """Keep `tracker` (all its events are in the database), reduced if long; what is kept."""
        if self.capacity == 0:
            setattr(tracker, SAVED, len(tracker.events))
            return tracker
        if len(tracker.events) > COMPACT_AFTER_EVENTS:
            tracker = recent_tracker(tracker, KEPT_ACTIONS, slots_as_events=True)
        setattr(tracker, SAVED, len(tracker.events))
        self._kept[tracker.sender_id] = _Kept(tracker, last_id)
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)
        return tracker

    def forget(self, sender_id: str | None = None) -> None:
        """Drop a kept conversation (or all): the next turn reads it from the database."""
        if sender_id is None:
            self._kept.clear()
        else:
            self._kept.pop(sender_id, None)


class ExpiringTicketLock(TicketLock):
    """A conversation's ticket lock whose dead holders do not block the line forever."""

    def is_locked(self, ticket_number: int) -> bool:
        return any(ticket.number < ticket_number and not ticket.has_expired() for ticket in self.tickets)


class ExpiringRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store with ExpiringTicketLock locks (see the module docstring)."""

    def __init__(self, endpoint_config) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    @staticmethod
    def create_lock(conversation_id: str) -> TicketLock:
        return ExpiringTicketLock(conversation_id)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        lock = super().get_lock(conversation_id)
        return ExpiringTicketLock(lock.conversation_id, lock.tickets) if lock else None
