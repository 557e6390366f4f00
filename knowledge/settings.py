"""Where the knowledge base lives: data files, database URL, engine creation.

The database is a SQLite file (var/knowledge.db) unless KNOWLEDGE_DB_URL gives another
SQLAlchemy URL, e.g. postgresql://user@host:5432/cmq for production. KNOWLEDGE_DATA_DIR
points the build at another copy of the data files (tests use it).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "knowledge" / "data"
DEFAULT_DB_PATH = PROJECT_ROOT / "var" / "knowledge.db"
DB_URL_ENV = "KNOWLEDGE_DB_URL"
DATA_DIR_ENV = "KNOWLEDGE_DATA_DIR"


def data_dir() -> Path:
    """The folder of the data files."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR)


def database_url() -> str:
    """The configured database URL, defaulting to the embedded SQLite file."""
    return os.environ.get(DB_URL_ENV) or f"sqlite:///{DEFAULT_DB_PATH}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite connections check foreign keys and may be shared by threads."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, future=True)
    engine = create_engine(url, future=True, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _enforce_foreign_keys)
    return engine


def _enforce_foreign_keys(connection, _record) -> None:
    """SQLite checks foreign keys only when asked, connection by connection."""
    connection.execute("PRAGMA foreign_keys = ON")
