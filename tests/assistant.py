"""Test helpers that run the trained assistant: an action server subprocess and a Rasa Agent."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "cmq.tar.gz"
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "ignore", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_action_server(port: int, timeout: float = 90) -> subprocess.Popen:
    """Start `rasa run actions` on `port` and wait until it answers its health check."""
    rasa = Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / "rasa"
    process = subprocess.Popen(
        [str(rasa), "run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=PROJECT_ROOT, env={**os.environ, **QUIET},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("action server stopped: " + process.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("action server did not start in time")


class Assistant:
    """The trained model with its action server, answering one message at a time."""

    def __init__(self, action_port: int):
        from rasa.core.agent import load_agent
        from rasa.core.utils import AvailableEndpoints
        from rasa.utils.endpoints import EndpointConfig

        self.loop = asyncio.new_event_loop()
        endpoints = AvailableEndpoints(action=EndpointConfig(f"http://127.0.0.1:{action_port}/webhook"))
        self.agent = self.loop.run_until_complete(load_agent(model_path=str(MODEL), endpoints=endpoints))

    def ask(self, text: str, sender: str) -> list[dict]:
        return self.loop.run_until_complete(self.agent.handle_text(text, sender_id=sender))

    def parse(self, text: str) -> dict:
        return self.loop.run_until_complete(self.agent.parse_message(text))

    def close(self) -> None:
        self.loop.close()


def answer_text(messages: list[dict]) -> str:
    """Everything the user sees: texts and button titles."""
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button["title"] for button in message.get("buttons") or []]
    return "\n".join(parts)


def wait_for_http(url: str, process: subprocess.Popen, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped: " + (process.stderr.read().decode()[-2000:] if process.stderr else ""))
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"{what} did not start in {timeout} s")


class Stack:
    """The whole assistant as `make run` starts it, on free ports: action server, Rasa server
    (REST and socket.io, CORS limited to the page's origin) and the demo page."""

    def __init__(self, work_dir: Path):
        self.action_port, self.rasa_port, self.web_port = free_port(), free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.web_url = f"http://127.0.0.1:{self.web_port}"
        endpoints = work_dir / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{self.action_port}/webhook"\n')
        self.endpoints = endpoints
        self.processes = [start_action_server(self.action_port)]
        self.rasa = self.processes[0].args[0]
        web = subprocess.Popen(
            [str(Path(self.rasa).parent / "python"), "-m", "bot.web_server"], cwd=PROJECT_ROOT,
            env={**os.environ, "WEB_PORT": str(self.web_port), "CMQ_PUBLIC_SERVER_URL": self.rasa_url},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(web)
        try:
            wait_for_http(self.web_url + "/", web, 30, "web server")
            self.start_rasa()
        except Exception:
            self.stop()
            raise

    def start_rasa(self) -> None:
        server = subprocess.Popen(
            [self.rasa, "run", "--model", str(MODEL), "--port", str(self.rasa_port), "--credentials",
             "credentials.yml", "--endpoints", str(self.endpoints), "--cors", self.web_url],
            cwd=PROJECT_ROOT, env={**os.environ, **QUIET}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(server)
        wait_for_http(self.rasa_url + "/", server, 180, "Rasa server")
        self.rasa_server = server

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start a new one on the same port (tracker store in memory)."""
        self.rasa_server.terminate()
        self.rasa_server.wait(timeout=30)
        self.processes.remove(self.rasa_server)
        self.start_rasa()

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
