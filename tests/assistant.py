"""Test helpers that run the trained assistant as `make run` serves it (the whole stack), talk
to it through REST, and break its action server on purpose."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bot.ops.endpoints import render
from bot.ops.processes import MODEL, QUIET, free_port, start_action_server, start_rasa_server, start_web_server, stop

ACTION_TIMEOUT = 5  # seconds the tests' Rasa server waits for the action server

__all__ = ["MODEL", "QUIET", "Stack", "free_port", "start_action_server"]


class Stack:
    """The whole assistant as `make run` starts it, on free ports: action server, Rasa server
    (REST and socket.io, CORS limited to the page's origin) and the demo page."""

    def __init__(self, work_dir: Path):
        self.action_port, self.rasa_port, self.web_port = free_port(), free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        self.conversations_db = work_dir / "conversations.db"
        self.endpoints = work_dir / "endpoints.yml"
        self.endpoints.write_text(render({"CMQ_ACTION_URL": f"http://127.0.0.1:{self.action_port}/webhook",
                                          "CMQ_TRACKER_DB_URL": f"sqlite:///{self.conversations_db}"}))
        self.logs = work_dir
        self.action_server = start_action_server(self.action_port, log=self.logs / "actions.log")
        self.processes = [self.action_server]
        try:
            self.processes.append(start_web_server(self.web_port, self.rasa_url, log=self.logs / "web.log"))
            self.start_rasa()
        except Exception:
            self.stop()
            raise

    def start_rasa(self) -> None:
        self.rasa_server = start_rasa_server(
            MODEL, self.rasa_port, "--credentials", "credentials.yml", "--endpoints", str(self.endpoints),
            "--cors", self.web_url, env={"CMQ_ACTION_TIMEOUT": str(ACTION_TIMEOUT)}, log=self.logs / "rasa.log")
        self.processes.append(self.rasa_server)

    def stop_action_server(self) -> None:
        stop([self.action_server])
        self.processes.remove(self.action_server)

    def start_action_server(self) -> None:
        self.action_server = start_action_server(self.action_port, log=self.logs / "actions.log")
        self.processes.append(self.action_server)

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start a new one on the same port (same conversations store)."""
        self.stop_rasa()
        self.start_rasa()

    def stop_rasa(self) -> None:
        self.rasa_server.terminate()
        self.rasa_server.wait(timeout=30)
        self.processes.remove(self.rasa_server)

    def stop(self) -> None:
        stop(self.processes)


def post_rest(server: str, body, content_type: str | None = "application/json", timeout: float = 30):
    """POST to the REST channel of `server`: `body` is a dict (sent as JSON) or raw bytes.
    Returns (HTTP status, decoded JSON answer); a hang beyond `timeout` raises."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(server + "/webhooks/rest/webhook", data=data,
                                     headers={"Content-Type": content_type} if content_type else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def say(server: str, sender: str, text: str, timeout: float = 30) -> str:
    """The assistant's whole answer (texts and button titles) to `text` in conversation `sender`."""
    status, messages = post_rest(server, {"sender": sender, "message": text}, timeout=timeout)
    assert status == 200, f"HTTP {status} for « {text[:50]} »: {messages}"
    titles = [b["title"] for m in messages for b in m.get("buttons", [])]
    return "\n".join([m.get("text", "") for m in messages] + titles)


@contextmanager
def action_server_down(stack):
    stack.stop_action_server()
    try:
        yield
    finally:
        stack.start_action_server()


@contextmanager
def silent_server(port: int):
    """Something on `port` that accepts connections and never answers: a hung action server."""
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        yield
