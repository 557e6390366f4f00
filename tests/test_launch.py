"""`make run`'s launcher (bot.ops.launch): the three servers start, answer, and all stop on Ctrl-C;
their logs hold no known warning of Rasa's libraries."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import urllib.request

import pytest

from bot.ops.processes import LOGS, MODEL, QUIET, free_port, venv_bin
from knowledge.settings import PROJECT_ROOT
from tests.assistant import post_rest

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL}: run `make model`")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def test_the_launcher_starts_the_assistant_and_stops_everything_on_ctrl_c(tmp_path):
    action_port, rasa_port, web_port = free_port(), free_port(), free_port()
    env = {**os.environ, **QUIET, "RASA_PORT": str(rasa_port), "WEB_PORT": str(web_port),
           "CMQ_ACTION_URL": f"http://127.0.0.1:{action_port}/webhook",
           "CMQ_TRACKER_DB_URL": f"sqlite:///{tmp_path / 'conversations.db'}"}
    launcher = subprocess.Popen([venv_bin("python"), "-m", "bot.ops.launch"], cwd=PROJECT_ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(launcher.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while not any("page et widget" in line for line in list(lines)):  # the launcher says it is ready
            assert launcher.poll() is None, "".join(lines)
            assert time.monotonic() < deadline, "the assistant did not start in 240 s"
            time.sleep(1)
        assert _answers(f"http://127.0.0.1:{web_port}/")
        status, messages = post_rest(f"http://127.0.0.1:{rasa_port}",
                                     {"sender": "launch", "message": "un BTS dans le 93"})
        assert status == 200 and "Création numérique" in " ".join(m.get("text", "") for m in messages)
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=90)
        reader.join(timeout=10)
        output = "".join(lines)
    finally:
        if launcher.poll() is None:
            launcher.kill()
    assert launcher.returncode == 0
    assert f"page et widget : http://localhost:{web_port}/" in output and "Arrêt de l'assistant" in output
    for port in (action_port, rasa_port, web_port):
        assert not _answers(f"http://127.0.0.1:{port}/"), f"port {port} still answers after Ctrl-C"
    for log in (LOGS / f"action-server-{action_port}.log", LOGS / f"rasa-server-{rasa_port}.log"):
        assert "Warning" not in log.read_text(encoding="utf-8"), f"{log}: known warnings are hidden"
