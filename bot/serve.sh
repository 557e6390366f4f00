#!/usr/bin/env bash
# Starts the action server (port 5055) and the Rasa server (REST and socket.io channels on
# RASA_PORT, default 5005) with the trained model; Ctrl-C stops both.
set -uo pipefail
cd "$(dirname "$0")/.."
source bot/quiet-env.sh
RASA=.venv/bin/rasa
PORT=${RASA_PORT:-5005}

"$RASA" run actions --actions actions --port 5055 &
actions=$!
"$RASA" run --model models/cmq.tar.gz --port "$PORT" --credentials credentials.yml \
    --endpoints endpoints.yml &
server=$!

stop() {
    trap - INT TERM
    echo "Arrêt de l'assistant…"
    kill "$server" "$actions" 2>/dev/null
    wait "$server" "$actions" 2>/dev/null
    exit 0
}
trap stop INT TERM
echo "Assistant en cours de démarrage : http://localhost:$PORT/webhooks/rest/webhook (Ctrl-C pour arrêter)"
wait -n "$server" "$actions"
echo "Un des deux serveurs s'est arrêté : arrêt de l'autre." >&2
kill "$server" "$actions" 2>/dev/null
wait
exit 1
