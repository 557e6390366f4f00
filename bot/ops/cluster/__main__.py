"""`make run-cluster`: the production set-up on this machine, until Ctrl-C.

    CMQ_CLUSTER_DB_URL  PostgreSQL database for the knowledge base and the conversations
                        (default postgresql://postgres@127.0.0.1:5432/cmq, created if missing)
    CMQ_REDIS_URL       Redis for the conversation locks (default redis://127.0.0.1:6379/1)
    RASA_PORT           nginx, for the channels and the widget (default 5005)
    WEB_PORT            the demo page (default 8000)

Rasa servers on 5006 and 5007, action servers on 5056 and 5057, behind nginx on RASA_PORT
(channels) and 5055 (actions); files and logs in var/cluster. A server that stops by itself is
started again (within a few seconds; nginx sends its traffic to the other one meanwhile).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from bot.ops.cluster import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, Cluster, missing_services
from bot.ops.processes import start_web_server, venv_bin
from knowledge.settings import PROJECT_ROOT

SUPERVISION_SECONDS = 2


def main() -> int:
    database_url = os.environ.get("CMQ_CLUSTER_DB_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("CMQ_REDIS_URL") or DEFAULT_REDIS_URL
    port, web_port = int(os.environ.get("RASA_PORT", 5005)), int(os.environ.get("WEB_PORT", 8000))
    missing = missing_services(database_url, redis_url)
    if missing:
        print(f"La grappe ne peut pas démarrer : {missing}.", file=sys.stderr)
        return 1
    origins = os.environ.get("CMQ_ALLOWED_ORIGINS", f"http://localhost:{web_port} http://127.0.0.1:{web_port}")
    cluster = Cluster(PROJECT_ROOT / "var" / "cluster", database_url, redis_url, port=port, actions_port=5055,
                      listen="0.0.0.0", cors=tuple(origins.split()), rasa_ports=[5006, 5007],
                      action_ports=[5056, 5057])
    print("Démarrage de la grappe (PostgreSQL, Redis, 2 serveurs Rasa, 2 serveurs d'actions, nginx)…", flush=True)
    cluster.start()
    subprocess.run([venv_bin("python"), "-m", "bot.ops.retention"], cwd=PROJECT_ROOT,
                   env={**os.environ, "CMQ_TRACKER_DB_URL": database_url})
    web = start_web_server(web_port, f"http://localhost:{port}", log=cluster.work_dir / "web.log")
    print(f"Grappe prête : http://localhost:{port}/webhooks/rest/webhook, page http://localhost:{web_port}/ "
          "(Ctrl-C pour arrêter)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while web.poll() is None:
            for what in cluster.restart_stopped():
                print(f"Le {what} s'était arrêté : redémarré.", flush=True)
            time.sleep(SUPERVISION_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        print("Arrêt de la grappe…")
        web.terminate()
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
