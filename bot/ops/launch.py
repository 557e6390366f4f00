"""`make run`: the assistant started on this machine, through the same code as the tests, the
bench and the cluster (bot.ops.processes).

    python -m bot.ops.launch

Writes var/endpoints.yml from the environment (bot.ops.endpoints), deletes the conversations idle
for more than CMQ_RETENTION_DAYS days (bot.ops.retention), then starts the action server (on
127.0.0.1 only, at the port of CMQ_ACTION_URL: 5055 by default), the Rasa server (RASA_PORT,
default 5005: REST and socket.io channels) and the demo page with the chat widget (WEB_PORT,
default 8000), and prints where to find them. Ctrl-C stops all three; if one stops, the others
are stopped too (exit status 1).
Their logs go to var/logs/.
  CMQ_ALLOWED_ORIGINS    web origins allowed to call the Rasa server (CORS), space-separated;
                         default: the demo page's own origins.
  CMQ_PUBLIC_SERVER_URL  the Rasa server's address as browsers see it.
  CMQ_CREDENTIALS        the channels file (default credentials.yml; see credentials.channels.example.yml).
  CMQ_API_TOKEN          when set, Rasa's HTTP API is on and every call to it needs ?token=<this>
                         (and /insights of the page too); unset (default), only the channels answer.
  CMQ_TRACKER_DB_URL, CMQ_REDIS_URL, CMQ_ACTION_URL: the stores and the action server (bot/ops/endpoints.py).
  CMQ_DEBUG=1            Rasa's debug logs (in var/logs/).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from urllib.parse import urlsplit

from bot.ops import endpoints, retention
from bot.ops.processes import MODEL, start_action_server, start_rasa_server, start_web_server, stop
from knowledge.settings import PROJECT_ROOT

ENDPOINTS = PROJECT_ROOT / "var" / "endpoints.yml"


def rasa_options(env=os.environ) -> list[str]:
    """The Rasa server's command-line options for this environment."""
    web_port = env.get("WEB_PORT", "8000")
    origins = (env.get("CMQ_ALLOWED_ORIGINS") or f"http://localhost:{web_port} http://127.0.0.1:{web_port}").split()
    options = ["--credentials", env.get("CMQ_CREDENTIALS") or "credentials.yml", "--endpoints", str(ENDPOINTS),
               "--cors", *origins]
    if env.get("CMQ_API_TOKEN"):
        options += ["--enable-api", "--auth-token", env["CMQ_API_TOKEN"]]
    if env.get("CMQ_DEBUG") == "1":
        options.append("--debug")
    return options


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main() -> int:
    rasa_port, web_port = int(os.environ.get("RASA_PORT", "5005")), int(os.environ.get("WEB_PORT", "8000"))
    public_url = os.environ.get("CMQ_PUBLIC_SERVER_URL") or f"http://localhost:{rasa_port}"
    if endpoints.main([str(ENDPOINTS)]) or retention.main([]):
        return 1
    processes = []
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _interrupt)  # stopped like Ctrl-C
    try:
        print("==> Serveur d'actions…", flush=True)
        action_url = endpoints.endpoints()["action_endpoint"]["url"]
        processes.append(start_action_server(urlsplit(action_url).port or 80))
        print("==> Serveur Rasa (chargement du modèle, environ 20 s)…", flush=True)
        processes.append(start_rasa_server(MODEL, rasa_port, *rasa_options()))
        print("==> Page de démonstration…", flush=True)
        processes.append(start_web_server(web_port, public_url))
        print(f"\nL'assistant répond ({time.monotonic() - started:.0f} s) :\n"
              f"  page et widget : http://localhost:{web_port}/\n"
              f"  canal REST     : http://localhost:{rasa_port}/webhooks/rest/webhook\n"
              f"  journaux       : {PROJECT_ROOT / 'var' / 'logs'}/\n"
              "Ctrl-C pour arrêter.", flush=True)
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        print("Un des serveurs s'est arrêté : arrêt des autres (voir var/logs/).", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nArrêt de l'assistant…", flush=True)
        return 0
    except RuntimeError as error:  # a server that did not start: its last words
        print(f"Démarrage impossible : {error}", file=sys.stderr)
        return 1
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main())
