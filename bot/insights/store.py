"""The conversations of a period, read from Rasa's conversation store (the `events` table of
its SQL tracker store: the SQLite file of `make run`, or PostgreSQL in production).

Only what the counts need is kept of each event: its type, its time, and its intent, entity
values, channel, action name or slot; the sender id only groups a conversation's events and
leaves this module as an opaque number; the text of a message only tells whether it was a
button's payload (« /intent »), and is then dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, select

EVENTS = Table("events", MetaData(),  # the columns of Rasa's SQLTrackerStore table that are read
               Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
               Column("type_name", String(255)), Column("timestamp", Float), Column("data", Text))
_PAYLOAD = re.compile(r"^/(\w+)")


@dataclass(frozen=True)
class UserMessage:
    at: dt.datetime
    intent: str | None
    entities: tuple[tuple[str, str], ...]  # (entity type, value as extracted)
    channel: str | None
    button: str | None  # the intent of a button's payload, when the message was one


@dataclass
class Conversation:
    """One conversation's events in order: user messages, and the actions and slots after each."""

    messages: list[UserMessage] = field(default_factory=list)
    # per message, what followed it: ("action", name) or ("slot", (name, value))
    after: list[list[tuple[str, object]]] = field(default_factory=list)


def _message(data: dict, at: dt.datetime) -> UserMessage:
    parse = data.get("parse_data") or {}
    text = data.get("text") or ""
    button = _PAYLOAD.match(text)
    entities = tuple((str(e.get("entity")), str(e.get("value"))) for e in parse.get("entities") or []
                     if e.get("entity") and e.get("value") is not None)
    return UserMessage(at, (parse.get("intent") or {}).get("name"), entities, data.get("input_channel"),
                       button.group(1) if button else None)


def conversations(url: str, since: dt.date | None = None, until: dt.date | None = None) -> Iterator[Conversation]:
    """The conversations with user messages between `since` and `until` (dates in UTC, both included)."""
    query = select(EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.data) \
        .order_by(EVENTS.c.sender_id, EVENTS.c.id)
    if since:
        query = query.where(EVENTS.c.timestamp >= dt.datetime.combine(since, dt.time(), dt.timezone.utc).timestamp())
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.timezone.utc).timestamp()
        query = query.where(EVENTS.c.timestamp < end)
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            current, sender = None, object()
            for row in connection.execute(query):
                if row.sender_id != sender:
                    if current is not None and current.messages:
                        yield current
                    current, sender = Conversation(), row.sender_id
                at = dt.datetime.fromtimestamp(row.timestamp or 0, dt.timezone.utc)
                if row.type_name == "user":
                    current.messages.append(_message(json.loads(row.data), at))
                    current.after.append([])
                elif current.messages and row.type_name == "action":
                    current.after[-1].append(("action", json.loads(row.data).get("name")))
                elif current.messages and row.type_name == "slot":
                    data = json.loads(row.data)
                    current.after[-1].append(("slot", (data.get("name"), data.get("value"))))
            if current is not None and current.messages:
                yield current
    finally:
        engine.dispose()
