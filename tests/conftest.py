"""Shared fixtures: the known warnings of Rasa's libraries filtered, the real data set, and a
knowledge base built from it on SQLite and, when a server is reachable, on PostgreSQL (in a
schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import text

from bot.extensions.known_warnings import KNOWN_WARNINGS
from knowledge.loader import build_database, data_fingerprint
from knowledge.queries import KnowledgeBase
from knowledge.settings import DEFAULT_DATA_DIR, make_engine
from knowledge.validation import load_dataset

POSTGRES_URL = os.environ.get("CMQ_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pytest_configure(config):
    """The known warnings of Rasa's libraries are not reported by the tests either. Sanic, imported
    by Rasa, puts a « once » filter for every DeprecationWarning in front of all others: imported
    here, before any test, so that these filters, which pytest puts back in front at each test, win."""
    import sanic  # noqa: F401

    for known in KNOWN_WARNINGS:
        config.addinivalue_line("filterwarnings", f"ignore:{known.message}:{known.category}")


@pytest.fixture(scope="session")
def dataset():
    return load_dataset(DEFAULT_DATA_DIR)


def _postgres_schema_url():
    """A URL whose connections live in a fresh schema; skips the test when no server answers."""
    engine = make_engine(POSTGRES_URL)
    schema = f"cmq_test_{uuid.uuid4().hex[:8]}"
    try:
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # any failure to reach or use the server
        engine.dispose()
        pytest.skip(f"PostgreSQL non joignable à {POSTGRES_URL} ({type(error).__name__}) : "
                    "tests PostgreSQL ignorés (définissez CMQ_TEST_POSTGRES_URL)")
    return engine, schema, f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@contextmanager
def postgres_schema():
    """The URL of a fresh PostgreSQL schema, dropped afterwards; skips when no server answers."""
    admin, schema, url = _postgres_schema_url()
    try:
        yield url
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_kb(dataset, tmp_path_factory) -> KnowledgeBase:
    """The knowledge base built from the real data in a SQLite file of the test session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'knowledge.db'}"
    build_database(dataset, url, data_fingerprint(DEFAULT_DATA_DIR))
    knowledge_base = KnowledgeBase(make_engine(url))
    yield knowledge_base
    knowledge_base.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def kb(request, dataset, sqlite_kb) -> KnowledgeBase:
    """The knowledge base built from the real data, on each backend."""
    if request.param == "sqlite":
        yield sqlite_kb
        return
    with postgres_schema() as url:
        build_database(dataset, url, data_fingerprint(DEFAULT_DATA_DIR))
        knowledge_base = KnowledgeBase(make_engine(url))
        yield knowledge_base
        knowledge_base.engine.dispose()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The running assistant (action server, Rasa server, demo page), for channel tests."""
    from tests.assistant import MODEL, Stack

    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    running = Stack(tmp_path_factory.mktemp("stack"))
    yield running
    running.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def conversations_url(request, tmp_path):
    """The URL of an empty conversation store: a SQLite file, then a fresh PostgreSQL schema
    (skipped when no server answers)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'conversations.db'}"
        return
    with postgres_schema() as url:
        yield url
