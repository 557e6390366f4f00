"""Start the assistant's servers as subprocesses on chosen ports and wait until they answer:
the one way to start them, for `make run` (bot.ops.launch), the cluster, the tests and the bench.

    python -m bot.ops.processes <command…>    runs a command in the quiet environment (`make` uses
                                          it for the checks, the training, the cluster and the bench)

The quiet environment hides TensorFlow's start-up logs and turns off Rasa's telemetry (usage
reports sent to Rasa's servers). The known warnings of Rasa's libraries are hidden, one by one,
by bot.extensions.known_warnings in each server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from knowledge.settings import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "cmq.tar.gz"
# TensorFlow on one thread in the Rasa server: DIET's ops on a single message are too small to
# share, and handing them between threads cost a third of the NLU's CPU (11.6 -> 7.4 ms per
# message, measured on the development set's messages); several servers are the way to use
# several cores (`make run-cluster`). Without oneDNN's rewrite of the graph: its kernels are made
# for large tensors, and on DIET's tiny ones they cost more CPU than TensorFlow's own (4.7 -> 4.3 ms
# of DIET per message, median of 4 alternated runs over 300 development messages; the same
# intents and entities, confidences within 5e-7).
SERVING_ENV = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_ENABLE_ONEDNN_OPTS": "0"}
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}


def venv_bin(program: str) -> str:
    return str(Path(os.environ.get("VIRTUAL_ENV", PROJECT_ROOT / ".venv")) / "bin" / program)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LOGS = PROJECT_ROOT / "var" / "logs"


def _log_file(what: str, port: int, log: Path | None) -> Path:
    path = log or LOGS / f"{what.replace(' ', '-')}-{port}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def last_words(process: subprocess.Popen, size: int = 2000) -> str:
    """The end of what `process` wrote to its log file (see `spawn`)."""
    log = getattr(process, "log_path", None)
    return log.read_text(encoding="utf-8", errors="replace")[-size:] if log and log.exists() else ""


def spawn(command: list[str], what: str, port: int, log: Path | None, cwd: Path = PROJECT_ROOT,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `command` with its output in a log file (var/logs/<what>-<port>.log unless `log`):
    a pipe nobody reads would block a talkative server."""
    path = _log_file(what, port, log)
    with path.open("ab") as output:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **QUIET, **(env or {})},
                                   stdout=output, stderr=subprocess.STDOUT)
    process.log_path = path
    return process


def wait_for_http(url: str, process: subprocess.Popen, timeout: float, what: str) -> None:
    """Poll `url` until it answers; raise with the process's last words if it stops or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped: {last_words(process)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError(f"{what} did not start in {timeout} s: {last_words(process)}")


def action_server_command(port: int) -> list[str]:
    return [venv_bin("python"), "-m", "bot.ops.action_server", "--actions", "actions", "--port", str(port)]


def rasa_server_command(model: Path, port: int, *options: str, stock: bool = False) -> list[str]:
    launcher = [venv_bin("rasa")] if stock else [venv_bin("python"), "-m", "bot.extensions.runtime"]
    return [*launcher, "run", "--model", str(model), "--port", str(port), *options]


def web_server_command() -> list[str]:
    return [venv_bin("python"), "-m", "bot.web.server"]


def start_action_server(port: int, timeout: float = 90, env: dict[str, str] | None = None,
                        log: Path | None = None) -> subprocess.Popen:
    """The action server (bot.ops.action_server, as `make run` starts it) on `port`, once it answers
    its health check; `env` adds environment variables (e.g. KNOWLEDGE_DB_URL)."""
    process = spawn(action_server_command(port), "action server", port, log, env=env)
    wait_for_http(f"http://127.0.0.1:{port}/health", process, timeout, "action server")
    return process


def start_rasa_server(model: Path, port: int, *options: str, cwd: Path = PROJECT_ROOT, wait: bool = True,
                      stock: bool = False, env: dict[str, str] | None = None,
                      log: Path | None = None) -> subprocess.Popen:
    """`rasa run` with `model` on `port` (extra command-line `options`), once it answers (if `wait`).
    Run through bot.extensions.runtime, as `make run` does, with its fixes to Rasa and
    SERVING_ENV, unless `stock`."""
    process = spawn(rasa_server_command(model, port, *options, stock=stock),
                    "rasa server", port, log, cwd=cwd, env={**({} if stock else SERVING_ENV), **(env or {})})
    if wait:
        wait_for_http(f"http://127.0.0.1:{port}/", process, 180, "Rasa server")
    return process


def start_web_server(port: int, server_url: str, log: Path | None = None) -> subprocess.Popen:
    """The demo page with the chat widget (bot.web.server) on `port`, talking to `server_url`."""
    process = spawn(web_server_command(), "web server", port, log,
                    env={"WEB_PORT": str(port), "CMQ_PUBLIC_SERVER_URL": server_url})
    wait_for_http(f"http://127.0.0.1:{port}/", process, 30, "web server")
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def main(argv: list[str]) -> int:
    if not argv:
        print("Usage : python -m bot.ops.processes <commande…>", file=sys.stderr)
        return 2
    os.execvpe(argv[0], argv, {**os.environ, **QUIET})


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
