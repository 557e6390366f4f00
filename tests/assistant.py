"""Test helpers that run the trained assistant: an action server subprocess and a Rasa Agent."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

from bot.processes import MODEL, QUIET, free_port, start_action_server, start_rasa_server, stop, venv_bin, wait_for_http
from knowledge.settings import PROJECT_ROOT

__all__ = ["MODEL", "QUIET", "Assistant", "Stack", "free_port", "start_action_server"]


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
        web = subprocess.Popen(
            [venv_bin("python"), "-m", "bot.web_server"], cwd=PROJECT_ROOT,
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
        self.rasa_server = start_rasa_server(
            MODEL, self.rasa_port, "--credentials", "credentials.yml", "--endpoints", str(self.endpoints),
            "--cors", self.web_url)
        self.processes.append(self.rasa_server)

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start a new one on the same port (tracker store in memory)."""
        self.rasa_server.terminate()
        self.rasa_server.wait(timeout=30)
        self.processes.remove(self.rasa_server)
        self.start_rasa()

    def stop(self) -> None:
        stop(self.processes)
