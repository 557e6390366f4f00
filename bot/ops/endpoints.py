"""The Rasa server's endpoints file, made from environment variables.

    python -m bot.ops.endpoints var/endpoints.yml      (what `make run` does before starting Rasa)

    CMQ_ACTION_URL      the action server's webhook (default http://localhost:5055/webhook)
    CMQ_TRACKER_DB_URL  where conversations are kept, as an SQLAlchemy URL (default
                        sqlite:///var/conversations.db; production: postgresql://user:pw@host/db)
    CMQ_REDIS_URL       the lock store shared by several Rasa servers (redis://host:6379/1);
                        unset: locks in memory, right for a single server

With no variable set, the output is the committed endpoints.yml (a test checks it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

DEFAULT_ACTION_URL = "http://localhost:5055/webhook"
DEFAULT_TRACKER_DB_URL = "sqlite:///var/conversations.db"
TRACKER_STORE = "bot.extensions.stores.ConversationStore"  # Rasa's SQL store, conversations kept between turns
LOCK_STORE = "bot.extensions.stores.ExpiringRedisLockStore"  # Rasa's Redis lock store, dead holders expire
HEADER = """\
# Made by `python -m bot.ops.endpoints` from environment variables (see bot/ops/endpoints.py);
# `make run` writes var/endpoints.yml from them. These are the defaults: action server on this
# machine, conversations kept in a SQLite file (they survive a restart), locks in memory.
"""


def tracker_db_url(env: Mapping[str, str] = os.environ) -> str:
    """The SQLAlchemy URL of the conversations' store."""
    return env.get("CMQ_TRACKER_DB_URL") or DEFAULT_TRACKER_DB_URL


def endpoints(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The endpoints configuration for this environment."""
    config: dict[str, Any] = {
        # Only the validation of the form needs the domain (Rasa sends it to validate_* actions).
        "action_endpoint": {"url": env.get("CMQ_ACTION_URL") or DEFAULT_ACTION_URL, "enable_selective_domain": True},
        "tracker_store": {"type": TRACKER_STORE, "url": tracker_db_url(env)},
    }
    if env.get("CMQ_REDIS_URL"):
        redis = urlsplit(env["CMQ_REDIS_URL"])
        config["lock_store"] = {"type": LOCK_STORE, "url": redis.hostname or "localhost",
                                "port": redis.port or 6379, "db": int(redis.path.strip("/") or 1),
                                "key_prefix": "cmq"}
        if redis.password:
            config["lock_store"]["password"] = redis.password
    return config


def render(env: Mapping[str, str] = os.environ) -> str:
    return HEADER + yaml.safe_dump(endpoints(env), sort_keys=False, allow_unicode=True)


def main(argv: list[str]) -> int:
    text = render()
    if not argv:
        sys.stdout.write(text)
        return 0
    target = Path(argv[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600)  # may hold a database password
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
