"""User text is never trusted: SQL-looking, markup, huge, emoji or foreign text reaches every
query, gets an empty or sensible answer, and never changes the data."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from knowledge import models as m

HOSTILE = [
    "'; DROP TABLE campus; --",
    "\" OR 1=1 --",
    "x' UNION SELECT key, name FROM source --",
    "1; DELETE FROM membership WHERE 1=1",
    "%' OR '%'='",
    "Robert'); DROP TABLE establishment;--",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{7*7}} ${7*7}",
    "😀🚀✈️",
    "",
    "   \t\n ",
    "\x00\x1b[31m\x07",
    "what will the weather be like tomorrow?",
    "أريد أن أدرس الطيران",
    "我想学习航空",
    "a" * 100_000,
    "aéronautique " * 20_000,
]


def row_counts(kb) -> dict[str, int]:
    with kb._session() as session:
        return {table.name: session.scalar(select(func.count()).select_from(table))
                for table in m.Base.metadata.sorted_tables}


def ask_everything(kb, text: str) -> None:
    kb.search(sector=text, level=text, place=text, status=text)
    kb.search(sector=text)
    kb.search(place=text)
    kb.search(level=text)
    kb.campus(text)
    kb.find_campuses(text)
    kb.campuses_of(text)
    kb.explain_level(text)
    kb.members(text)
    kb.fact(text)


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_changes_nothing_and_answers_quickly(kb, text):
    before = row_counts(kb)
    started = time.perf_counter()
    ask_everything(kb, text)
    assert time.perf_counter() - started < 10, "a query must stay bounded even on huge input"
    assert row_counts(kb) == before
    assert kb.campus("securite").summary.name.startswith("Campus des métiers")


@pytest.mark.parametrize("text", [t for t in HOSTILE if "aéronautique" not in t], ids=lambda t: repr(t[:20]))
def test_hostile_text_matches_no_campus(kb, text):
    result = kb.search(sector=text)
    if text.strip():
        assert result.matches == () and result.unknown == ("sector",)
    assert kb.campuses_of(text) == []
    assert kb.fact(text) is None


def test_sql_wildcards_in_a_place_do_not_widen_the_search(kb):
    assert kb.search(place="%").matches == ()
    assert kb.search(place="_").matches == ()


def test_the_database_file_is_byte_for_byte_unchanged(tmp_path, dataset):
    import hashlib

    from knowledge.loader import build_database
    from knowledge.queries import open_knowledge_base

    database = tmp_path / "knowledge.db"
    build_database(dataset, f"sqlite:///{database}", "fingerprint")
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    kb = open_knowledge_base(f"sqlite:///{database}")
    for text in HOSTILE:
        ask_everything(kb, text)
    kb.engine.dispose()
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
