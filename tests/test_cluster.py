"""The production set-up (bot/ops/cluster): PostgreSQL, Redis, two Rasa servers and two action
servers behind nginx. Turns of a conversation alternating between the instances keep their
context; stopping one instance during load loses no answer and no conversation history.
Skipped, with the reason, when PostgreSQL, Redis or nginx is missing."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import socketio

from bot.ops.cluster import DEFAULT_REDIS_URL, Cluster, drop_database, missing_services, with_database
from tests.assistant import MODEL, say
from tests.conftest import POSTGRES_URL
from tests.conversations import TURNS, Outcome, play, stored_user_turns

REDIS_URL = os.environ.get("CMQ_TEST_REDIS_URL", DEFAULT_REDIS_URL)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip(f"no trained model at {MODEL}: run `make model`")
    database_url = with_database(POSTGRES_URL, f"cmq_cluster_{uuid.uuid4().hex[:8]}")
    reason = missing_services(database_url, REDIS_URL)
    if reason:
        pytest.skip(f"tests de la grappe ignorés : {reason}")
    running = Cluster(tmp_path_factory.mktemp("cluster"), database_url, REDIS_URL)
    running.start()
    yield running
    running.stop()
    drop_database(database_url)


def test_nginx_balances_the_rest_channel_and_answers_from_postgresql(cluster):
    assert "Aéronautique et spatial" in say(cluster.url, uuid.uuid4().hex, "quels campus pour l'aéronautique ?")


def test_turns_alternating_between_the_instances_keep_the_context(cluster):
    outcome = play(lambda conversation, turn: cluster.instance_urls[(conversation + turn) % 2], conversations=12)
    assert outcome.errors == [] and outcome.crosstalk == []
    assert stored_user_turns(cluster.database_url, outcome.senders) == {sender: TURNS for sender in outcome.senders}


def load_with_an_instance_stopped(cluster: Cluster, stop) -> tuple[Outcome, int]:
    """30 conversations through nginx; `stop` (instance 0) after 60 answers; instance 0 started again after."""
    outcome = Outcome()
    load = threading.Thread(target=play, args=(cluster.url, 30), kwargs={"pause": 0.1, "outcome": outcome})
    load.start()
    while outcome.messages < 60 and load.is_alive():
        time.sleep(0.05)
    stop()
    answered_when_stopped = outcome.messages
    try:
        load.join(timeout=300)
    finally:
        cluster.start_instance(0)
    return outcome, answered_when_stopped


def test_an_instance_killed_during_load_loses_no_answer_and_no_history(cluster):
    """A hard kill leaves the conversations it was answering locked in Redis: their messages,
    replayed by nginx on the other instance, are answered once the lock's lifetime is over."""
    outcome, killed_at = load_with_an_instance_stopped(
        cluster, lambda: (cluster.rasa_servers[0].kill(), cluster.rasa_servers[0].wait()))
    assert 60 <= killed_at < 30 * TURNS - 60
    assert outcome.messages == 30 * TURNS
    assert outcome.errors == [] and outcome.crosstalk == []
    turns = stored_user_turns(cluster.database_url, outcome.senders)
    assert set(turns) == set(outcome.senders) and min(turns.values()) >= TURNS  # a replay may store a turn twice


def test_stopping_an_instance_during_load_loses_no_answer_and_no_history(cluster):
    outcome, stopped_at = load_with_an_instance_stopped(cluster, lambda: cluster.stop_instance(0))
    assert 60 <= stopped_at < 30 * TURNS - 60  # the stop did fall in the middle of the load
    assert outcome.messages == 30 * TURNS
    assert outcome.errors == [] and outcome.crosstalk == []
    assert stored_user_turns(cluster.database_url, outcome.senders) == {sender: TURNS for sender in outcome.senders}
    assert "Santé, autonomie et bien vieillir" in say(cluster.url, uuid.uuid4().hex, "quels campus pour la santé ?")


def test_the_widget_channel_socketio_works_through_nginx(cluster):
    replies, answered = [], threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("session_confirm", lambda data: client.emit(
        "user_uttered", {"message": "quels campus pour la santé ?", "session_id": data}))
    client.on("bot_uttered", lambda data: (replies.append(data), answered.set()))
    client.connect(cluster.url, transports=["polling", "websocket"])  # polling first: needs the same instance
    try:
        client.emit("session_request", {"session_id": uuid.uuid4().hex})
        assert answered.wait(30)
        assert "Santé, autonomie et bien vieillir" in replies[0]["text"]
    finally:
        client.disconnect()


def test_a_crashed_instance_is_started_again_and_serves(cluster):
    from bot.ops.processes import wait_for_http

    cluster.rasa_servers[1].kill()
    cluster.rasa_servers[1].wait()
    cluster.action_servers[0].kill()
    cluster.action_servers[0].wait()
    assert sorted(cluster.restart_stopped()) == sorted([f"serveur Rasa {cluster.rasa_ports[1]}",
                                                        f"serveur d'actions {cluster.action_ports[0]}"])
    wait_for_http(cluster.instance_urls[1] + "/", cluster.rasa_servers[1], 240, "Rasa server")
    assert cluster.restart_stopped() == []
    sender = uuid.uuid4().hex
    assert "Santé, autonomie et bien vieillir" in say(cluster.instance_urls[1], sender, "quels campus pour la santé ?")
