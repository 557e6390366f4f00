"""The insights report (`cmq insights`) on a conversation store filled through the REST channel
of the running assistant by scripted conversations: exact counts, counts under 5 masked, no
message text and no sender id in any output; the same report read from PostgreSQL; the demo
server shows it only with the API token."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.request
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.insights.report import make_report, shown
from tests.assistant import MODEL, Stack, post_rest
from tests.conftest import postgres_schema

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")

SECRET_WORDS = ("Zéphyrine", "Pélagie", "Lilas")
AERO = '/search_campus{"sector": "aéronautique"}'  # button payloads: the same intent and entities every run
CONVERSATIONS = (
    [[AERO, '/refine_search{"apprenticeship": "oui"}'] for _ in range(5)]
    + [['/search_campus{"sector": "santé", "place": "Versailles"}'],  # no health campus in Versailles
       ['/search_campus{"sector": "chauffeur routier"}'],  # a job no campus covers
       ["/ask_human", "mon prénom est Zéphyrine, ma sœur Pélagie, on habite rue des Lilas"]]
)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The conversations store of an assistant that answered the scripted conversations."""
    stack = Stack(tmp_path_factory.mktemp("insights"))
    senders = []
    try:
        for conversation in CONVERSATIONS:
            sender = f"insights-{uuid.uuid4().hex}"
            senders.append(sender)
            for message in conversation:
                status, _ = post_rest(stack.rasa_url, {"sender": sender, "message": message}, timeout=120)
                assert status == 200
    finally:
        stack.stop()
    return f"sqlite:///{stack.conversations_db}", senders


def _report(url: str, out) -> dict[str, str]:
    make_report(url, out)
    return {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}


def _rows(files: dict[str, str], name: str) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(files[name])))[1:]
    return {row[0]: row[1:] for row in rows}


def test_the_report_counts_what_was_asked_and_not_found(store, tmp_path):
    url, _ = store
    files = _report(url, tmp_path / "report")
    summary = _rows(files, "resume.csv")
    assert summary["conversations"] == ["8"] and summary["messages"] == ["14"]
    assert summary["recherches sans résultat"] == ["< 5"]  # 2: the health search in Versailles, the lorry driver
    assert _rows(files, "secteurs.csv")["Aéronautique et spatial"] == ["5"]
    assert _rows(files, "canaux.csv")["rest"] == ["14"]
    assert _rows(files, "boutons.csv")["search_campus"] == ["7"]
    assert _rows(files, "boutons.csv")["refine_search"] == ["5"]
    unmet = files["demande-non-satisfaite.csv"].splitlines()
    assert '"Santé, autonomie et bien vieillir",indifférent,Versailles,< 5' in unmet
    assert "chauffeur routier" in files["metiers-sans-campus.csv"]
    assert "Demande non satisfaite" in files["index.html"] and "<img" in files["index.html"]


def test_no_message_text_and_no_sender_id_leaves_the_store(store, tmp_path):
    url, senders = store
    files = _report(url, tmp_path / "report")
    everything = "\n".join(files.values())
    for secret in SECRET_WORDS + tuple(senders):
        assert secret not in everything


def test_postgresql_gives_the_same_report(store, tmp_path):
    url, _ = store
    with postgres_schema() as postgres_url:
        source, target = create_engine(url), create_engine(postgres_url)
        columns = "id, sender_id, type_name, timestamp, intent_name, action_name, data"
        with source.connect() as reading, target.begin() as writing:
            writing.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), "
                                 "type_name VARCHAR(255), timestamp FLOAT, intent_name VARCHAR(255), "
                                 "action_name VARCHAR(255), data TEXT)"))
            for row in reading.execute(text(f"SELECT {columns} FROM events")):
                writing.execute(text(f"INSERT INTO events ({columns}) VALUES (:id, :sender_id, :type_name, "
                                     ":timestamp, :intent_name, :action_name, :data)"), row._asdict())
        source.dispose()
        target.dispose()
        assert _report(postgres_url, tmp_path / "pg") == _report(url, tmp_path / "lite")


def test_counts_under_five_are_masked():
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", "< 5", "< 5", "5", "12"]


def test_the_demo_server_shows_the_report_only_with_the_api_token(tmp_path, monkeypatch):
    import bot.web.server
    from bot.ops.processes import free_port, start_web_server, stop

    report = bot.web.server.INSIGHTS_DIR
    if not (report / "index.html").exists():
        report.mkdir(parents=True, exist_ok=True)
        (report / "index.html").write_text('<a href="jours.csv">jours.csv</a>', encoding="utf-8")
    port = free_port()
    monkeypatch.setenv("CMQ_API_TOKEN", "s3cret")
    server = start_web_server(port, "http://127.0.0.1:5005")
    try:
        def status(path: str, headers: dict | None = None) -> int:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        assert status("/insights") == 401
        assert status("/insights?token=wrong") == 401
        assert status("/insights/jours.csv") == 401
        assert status("/insights?token=s3cret") == 200
        assert status("/insights", {"Authorization": "Bearer s3cret"}) == 200
    finally:
        stop([server])

