"""Entry points of the container image (Dockerfile): one image, one process per container.

    python -m bot.ops.container rasa        the Rasa server on RASA_PORT (default 5005)
    python -m bot.ops.container actions     the action server on port 5055, on SANIC_HOST
    python -m bot.ops.container web         the demo page and its widget on WEB_PORT (default 8000)
    python -m bot.ops.container build-kb    builds the knowledge base at KNOWLEDGE_DB_URL from the
                                            image's data files (the Kubernetes Job)
    python -m bot.ops.container retention   deletes the conversations idle for CMQ_RETENTION_DAYS
                                            (the CronJob)

Each replaces itself with the command `make run` starts (bot.ops.launch, bot.ops.processes), with
the same options and environment, so that the container's process is the server itself and its
exit is what Kubernetes restarts. The environment variables are listed in bot/ops/environment.py.
"""

from __future__ import annotations

import os
import sys

from bot.ops import endpoints
from bot.ops.launch import ENDPOINTS, rasa_options
from bot.ops.processes import (
    MODEL,
    QUIET,
    SERVING_ENV,
    action_server_command,
    rasa_server_command,
    venv_bin,
    web_server_command,
)
from knowledge.settings import PROJECT_ROOT

ACTIONS_PORT = 5055


def command(name: str, env=os.environ) -> tuple[list[str], dict[str, str]]:
    """The command line and the environment of an entry point."""
    if name == "rasa":
        return (rasa_server_command(MODEL, int(env.get("RASA_PORT", "5005")), *rasa_options(env)),
                {**env, **QUIET, **SERVING_ENV})
    commands = {
        "actions": action_server_command(ACTIONS_PORT),
        "web": web_server_command(),
        "build-kb": [venv_bin("python"), "-m", "knowledge", "build"],
        "retention": [venv_bin("python"), "-m", "bot.ops.retention"],
    }
    if name not in commands:
        raise KeyError(name)
    return commands[name], {**env, **QUIET}


ENTRY_POINTS = ("rasa", "actions", "web", "build-kb", "retention")


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ENTRY_POINTS:
        print(f"Usage : python -m bot.ops.container {{{'|'.join(ENTRY_POINTS)}}}", file=sys.stderr)
        return 2
    os.chdir(PROJECT_ROOT)
    if argv[0] == "rasa" and endpoints.main([str(ENDPOINTS)]):
        return 1
    line, env = command(argv[0])
    os.execvpe(line[0], line, env)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
