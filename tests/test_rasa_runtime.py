"""The Rasa server's launcher: its fixes keep Rasa's behaviour (bad action responses rejected,
events read back as the same classes, one open HTTP session per endpoint, a model loaded
faster that predicts the same, the SQLite conversation store without a disk sync per message)."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.lock import TicketLock
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event

from bot import rasa_runtime


@pytest.fixture()
def patched(monkeypatch):
    """Rasa with the launcher's fixes, put back as they were after the test."""
    from rasa.core.actions import action
    from rasa.core.processor import MessageProcessor
    from rasa.utils.endpoints import EndpointConfig
    from rasa.utils.tensorflow.models import RasaModel

    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    monkeypatch.setattr(RemoteAction, "run", RemoteAction.run)
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(Event.resolve_by_type))
    monkeypatch.setattr(EndpointConfig, "session", EndpointConfig.session)
    monkeypatch.setattr(RasaModel, "load", RasaModel.__dict__["load"])
    monkeypatch.setattr(SQLTrackerStore, "__init__", SQLTrackerStore.__init__)
    monkeypatch.setattr(MessageProcessor, "handle_message", MessageProcessor.handle_message)
    monkeypatch.setattr(action, "DEFAULT_REQUEST_TIMEOUT", action.DEFAULT_REQUEST_TIMEOUT)
    monkeypatch.setattr(TicketLock, "is_locked", TicketLock.is_locked)
    rasa_runtime.apply()
    return RemoteAction("action_search_campus", None)


def test_a_valid_action_response_passes(patched):
    response = {"events": [{"event": "slot", "name": "sector", "value": "santé"}],
                "responses": [{"text": "Voici les campus.", "buttons": [{"title": "Le premier", "payload": "/x"}]}]}
    assert patched._validate_action_result(response) is True


@pytest.mark.parametrize("response", [{"events": "not a list"}, {"responses": "not a list"},
                                      {"events": [{"name": "no event type"}]}])
def test_a_malformed_action_response_is_rejected_with_rasas_message(patched, response):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        patched._validate_action_result(response)


def test_the_schema_is_compiled_once():
    assert rasa_runtime._response_validator() is rasa_runtime._response_validator()


def test_event_classes_are_found_as_before(patched):
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    assert [Event.resolve_by_type(name) for name in ("user", "bot", "slot", "user")] == \
        [UserUttered, BotUttered, SlotSet, UserUttered]
    assert Event.resolve_by_type("topic") is None
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")


def test_idle_connections_are_dropped_before_the_action_server_drops_them(patched):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig
    from sanic.config import DEFAULT_CONFIG

    async def keep_alive() -> float:
        async with EndpointConfig("http://127.0.0.1:1/webhook").session() as session:
            seconds = session.connector._keepalive_timeout
        await session.close()  # kept open by the launcher: closed here, at the end of the test
        return seconds

    assert asyncio.run(keep_alive()) < DEFAULT_CONFIG["KEEP_ALIVE_TIMEOUT"]


def test_one_http_session_per_endpoint_is_kept_open(patched):
    import asyncio

    from rasa.utils.endpoints import EndpointConfig

    async def sessions():
        endpoint, other = EndpointConfig("http://127.0.0.1:1/webhook"), EndpointConfig("http://127.0.0.1:2/webhook")
        async with endpoint.session() as first:
            pass
        async with endpoint.session() as second:
            pass
        async with other.session() as third:
            pass
        kept = (first is second, first is third, first.closed)
        for session in (first, third):
            await session.close()
        return kept

    assert asyncio.run(sessions()) == (True, False, False)


def test_a_model_loaded_without_tracing_the_training_step_predicts_the_same():
    """Both loads of the trained model, in fresh processes, parse the held-out messages alike."""
    import json
    import os
    import subprocess

    from bot.processes import MODEL, QUIET, venv_bin

    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    script = (
        "import asyncio, json, sys\n"
        "if sys.argv[1] == 'patched':\n"
        "    from bot import rasa_runtime; rasa_runtime.apply()\n"
        "from rasa.core.agent import load_agent\n"
        "from bench.heldout import load\n"
        f"agent = asyncio.run(load_agent(model_path={str(MODEL)!r}))\n"
        "async def parse():\n"
        "    return [await agent.parse_message(m.text) for m in load()[::25]]\n"
        "print(json.dumps([[p['intent']['name'], round(p['intent']['confidence'], 4),\n"
        "                   sorted((e['entity'], e['value']) for e in p['entities'])]\n"
        "                  for p in asyncio.run(parse())]))\n")
    outputs = []
    for mode in ("patched", "plain"):
        done = subprocess.run([venv_bin("python"), "-c", script, mode], capture_output=True, text=True,
                              env={**os.environ, **QUIET}, check=True)
        outputs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 10


def test_the_sqlite_conversation_store_keeps_a_write_ahead_log_and_still_stores(patched, tmp_path):
    import asyncio
    import sqlite3

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy import text

    store = SQLTrackerStore(Domain.empty(), host=f"sqlite:///{tmp_path / 'conversations.db'}")
    asyncio.run(store.save(DialogueStateTracker.from_events("zoe", [UserUttered("bonjour")])))
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    store.engine.dispose()
    with sqlite3.connect(tmp_path / "conversations.db") as database:
        assert database.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert database.execute("SELECT count(*) FROM events WHERE sender_id = 'zoe'").fetchone() == (1,)

