#!/usr/bin/env bash
# Starts the assistant: the action server (port 5055), the Rasa server (REST and socket.io
# channels on RASA_PORT, default 5005) and the demo page with the chat widget (WEB_PORT,
# default 8000). Ctrl-C stops all three.
#   CMQ_ALLOWED_ORIGINS  web origins allowed to call the Rasa server (CORS), space-separated;
#                        default: the demo page's own origins.
#   CMQ_PUBLIC_SERVER_URL  the Rasa server's address as browsers see it.
#   CMQ_CREDENTIALS      the channels file (default credentials.yml; see credentials.channels.example.yml).
#   CMQ_API_TOKEN        when set, Rasa's HTTP API is on and every call to it needs ?token=<this>;
#                        unset (default), the HTTP API is off: only the channels answer.
#   CMQ_TRACKER_DB_URL, CMQ_REDIS_URL, CMQ_ACTION_URL: the stores and the action server (bot/endpoints.py).
#   CMQ_RETENTION_DAYS   conversations idle for longer are deleted at start (bot/retention.py, default 30).
set -uo pipefail
cd "$(dirname "$0")/.."
source bot/quiet-env.sh
PORT=${RASA_PORT:-5005}
export WEB_PORT=${WEB_PORT:-8000}
export CMQ_PUBLIC_SERVER_URL=${CMQ_PUBLIC_SERVER_URL:-http://localhost:$PORT}
read -r -a ORIGINS <<< "${CMQ_ALLOWED_ORIGINS:-http://localhost:$WEB_PORT http://127.0.0.1:$WEB_PORT}"

API=()
[ -n "${CMQ_API_TOKEN:-}" ] && API=(--enable-api --auth-token "$CMQ_API_TOKEN")
.venv/bin/python -m bot.endpoints var/endpoints.yml || exit 1
.venv/bin/python -m bot.retention || exit 1

.venv/bin/python -m bot.action_server --actions actions --port 5055 &
actions=$!
.venv/bin/python -m bot.rasa_runtime run --model models/cmq.tar.gz --port "$PORT" --credentials "${CMQ_CREDENTIALS:-credentials.yml}" \
    --endpoints var/endpoints.yml --cors "${ORIGINS[@]}" "${API[@]}" &
server=$!
.venv/bin/python -m bot.web_server &
web=$!

stop() {
    trap - INT TERM
    echo "Arrêt de l'assistant…"
    kill "$server" "$actions" "$web" 2>/dev/null
    wait "$server" "$actions" "$web" 2>/dev/null
    exit 0
}
trap stop INT TERM
echo "Assistant en cours de démarrage : http://localhost:$PORT/webhooks/rest/webhook, page http://localhost:$WEB_PORT/ (Ctrl-C pour arrêter)"
wait -n "$server" "$actions" "$web"
echo "Un des serveurs s'est arrêté : arrêt des autres." >&2
kill "$server" "$actions" "$web" 2>/dev/null
wait
exit 1
