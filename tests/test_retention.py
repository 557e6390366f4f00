"""Retention: `python -m bot.ops.retention` deletes the conversations idle for longer than the
setting, in the store Rasa writes (its own SQL tracker store), and keeps the others whole."""

from __future__ import annotations

import asyncio
import subprocess
import time

from bot.ops.processes import QUIET, venv_bin
from knowledge.settings import PROJECT_ROOT

DAY = 86_400


def store_conversations(url: str, idle_days: dict[str, float]) -> None:
    """A conversation per sender, its last message `idle_days` old, written by Rasa itself."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), host=url)
    for sender, days in idle_days.items():
        at = time.time() - days * DAY
        tracker = DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen", timestamp=at - 60),
            UserUttered("bonjour", {"name": "greet", "confidence": 1.0}, timestamp=at)])
        asyncio.run(store.save(tracker))
    store.engine.dispose()


def stored_senders(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, func, select

    from bot.ops.retention import EVENTS

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(select(EVENTS.c.sender_id, func.count()).group_by(EVENTS.c.sender_id)).all()
    engine.dispose()
    return dict(rows)


def run_retention(url: str, *args: str, days: str | None = None) -> subprocess.CompletedProcess:
    env = {**QUIET, "PATH": "/usr/bin:/bin", "CMQ_TRACKER_DB_URL": url,
           **({"CMQ_RETENTION_DAYS": days} if days else {})}
    return subprocess.run([venv_bin("python"), "-m", "bot.ops.retention", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_conversations_idle_for_longer_than_the_setting_are_deleted(conversations_url):
    store_conversations(conversations_url, {"old": 45, "older": 400, "recent": 3, "today": 0})
    result = run_retention(conversations_url, days="30")
    assert result.returncode == 0, result.stderr
    assert "supprimées : 2" in result.stdout
    assert stored_senders(conversations_url) == {"recent": 2, "today": 2}


def test_the_days_option_overrides_the_setting_and_bad_values_are_refused(conversations_url):
    store_conversations(conversations_url, {"old": 45, "recent": 3})
    assert run_retention(conversations_url, "--days", "-1").returncode == 2
    assert set(stored_senders(conversations_url)) == {"old", "recent"}
    assert run_retention(conversations_url, "--days", "2", days="30").returncode == 0
    assert stored_senders(conversations_url) == {}


def test_an_empty_store_is_not_an_error(tmp_path):
    result = run_retention(f"sqlite:///{tmp_path / 'none.db'}")
    assert result.returncode == 0 and "supprimées : 0" in result.stdout
