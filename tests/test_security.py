"""Security and privacy of the running assistant: Rasa's HTTP API off unless a token is set and
then refused without it, no user message in the logs at the default level, no secret in the
repository."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import pytest
import yaml

from bot.ops.processes import free_port, start_rasa_server, stop
from knowledge.settings import PROJECT_ROOT
from tests.assistant import ACTION_TIMEOUT, MODEL, action_server_down, post_rest, say, silent_server

TOKEN = uuid.uuid4().hex


def http_status(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_http_api_is_off_by_default(stack):
    sender = f"api-{uuid.uuid4().hex}"
    say(stack.rasa_url, sender, "bonjour")
    assert http_status(f"{stack.rasa_url}/conversations/{sender}/tracker") == 404
    assert http_status(f"{stack.rasa_url}/model/parse", "POST") == 404


@pytest.fixture(scope="module")
def api_server(stack, tmp_path_factory):
    """A second Rasa server on the same conversations store, with the HTTP API and a token."""
    port = free_port()
    server = start_rasa_server(MODEL, port, "--enable-api", "--auth-token", TOKEN, "--endpoints", str(stack.endpoints),
                               log=tmp_path_factory.mktemp("api") / "rasa.log")
    yield f"http://127.0.0.1:{port}"
    stop([server])


def test_with_the_api_on_a_tracker_is_refused_without_the_token(stack, api_server):
    sender = f"api-{uuid.uuid4().hex}"
    say(stack.rasa_url, sender, "quels campus pour la santé ?")
    assert http_status(f"{api_server}/conversations/{sender}/tracker") == 401
    assert http_status(f"{api_server}/conversations/{sender}/tracker?token=wrong") == 401
    with urllib.request.urlopen(f"{api_server}/conversations/{sender}/tracker?token={TOKEN}", timeout=30) as response:
        assert json.loads(response.read())["latest_message"]["text"] == "quels campus pour la santé ?"


def test_users_messages_are_not_in_the_logs(stack):
    secret_words = f"je m'appelle Zoé {uuid.uuid4().hex[:8]} et je veux faire de l'aéronautique"
    say(stack.rasa_url, f"log-{uuid.uuid4().hex}", secret_words)
    say(stack.rasa_url, f"log-{uuid.uuid4().hex}", "<b>" + secret_words)
    logs = {path.name: path.read_text(encoding="utf-8", errors="replace") for path in stack.logs.glob("*.log")}
    assert {"rasa.log", "actions.log"} <= set(logs)
    for name, text in logs.items():
        assert "Zoé" not in text and secret_words[20:40] not in text, name


def test_a_message_abandoned_by_its_client_is_logged_without_its_text(stack):
    """Rasa's REST channel logs a message whose client hung up; the log must not hold its text."""
    secret_words = f"campus pour Anatole {uuid.uuid4().hex[:8]}"
    with action_server_down(stack), silent_server(stack.action_port):
        with pytest.raises(OSError):  # the client gives up before the answer
            post_rest(stack.rasa_url, {"sender": f"gone-{uuid.uuid4().hex}", "message": secret_words}, timeout=1)
        time.sleep(ACTION_TIMEOUT + 1)
    log = (stack.logs / "rasa.log").read_text(encoding="utf-8", errors="replace")
    assert "rest.message.received.timeout" in log and "Anatole" not in log


SECRET_KEYS = re.compile(r"token|secret|password|key|sid", re.IGNORECASE)
SECRET_SHAPES = [re.compile(pattern) for pattern in (
    r"\b\d{8,10}:[A-Za-z0-9_-]{35}\b",  # Telegram bot token
    r"\bxox[bpa]-[A-Za-z0-9-]{10,}",  # Slack token
    r"\bAC[0-9a-f]{32}\b",  # Twilio account SID
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    r"\bEAA[A-Za-z0-9]{30,}",  # Facebook page token
)]


def tracked_files() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True).stdout.split()


def test_channel_secrets_come_from_the_environment():
    for name in ("credentials.yml", "credentials.channels.example.yml"):
        channels = yaml.safe_load((PROJECT_ROOT / name).read_text(encoding="utf-8")) or {}
        for channel, settings in channels.items():
            for key, value in (settings or {}).items():
                if SECRET_KEYS.search(key) and value:
                    assert re.fullmatch(r"\$\{[A-Z0-9_]+\}", str(value)), \
                        f"{name}: {channel}.{key} is not ${{VARIABLE}}"


def test_no_secret_is_committed():
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for name in tracked_files():
        path = PROJECT_ROOT / name
        if path.suffix in {".png", ".gz", ".whl"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for shape in SECRET_SHAPES:
            assert not shape.search(text), f"{name} holds something shaped like a secret ({shape.pattern})"
