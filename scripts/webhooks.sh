#!/usr/bin/env bash
# Webhooks as a real subscriber sees them: a receiver using the official Standard Webhooks
# library (the `standardwebhooks` package from PyPI, installed here on first use) verifies
# every delivery, after a secret rotation with each secret, and refuses each one replayed ten
# minutes later. Then the server is killed with SIGKILL while deliveries are under way and
# started again: every event must still reach every endpoint (a receiver deduplicating by
# webhook-id sees each once). On PostgreSQL, two server processes then share the database:
# no endpoint may get an event twice. DATABASE_URL picks the backend (default: SQLite).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

VENV="$(python_tool webhooks-venv python standardwebhooks==1.1.0)"
BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
A="${WEBHOOKS_PORT:-3330}"
B="$((A + 1))"
R="$((A + 2))"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/webhooks.db?mode=rwc}"
export TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_MONITOR=false
export TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 TOLLGATE_WEBHOOK_TIMEOUT_SECONDS=3
export TOLLGATE_WEBHOOK_RETRIES=0.5,1,1,1,1,1,1,1
export TOLLGATE_TRAIL_KEY_FILE="$WORK/trail-key" TOLLGATE_TRAIL_CHECKPOINTS="$WORK/checkpoints"
PIDS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

CHECK=("$VENV/bin/python" scripts/webhooks_check.py "$WORK/state.json")
LOG="$WORK/received.jsonl"
"$VENV/bin/python" scripts/webhook_receiver.py "$R" "$WORK/secrets.json" "$LOG" "$WORK/mode" &
PIDS+=($!)
wait_for_port "$R" || { echo "the receiver did not start"; exit 1; }

"$BIN" user create --email hooks@example.com --name Hooks --role admin >/dev/null
TOKEN="$("$BIN" token create --email hooks@example.com --name hooks --scope read-write)"
serve() { # port
  TOLLGATE_LISTEN="127.0.0.1:$1" "$BIN" >>"$WORK/server-$1.log" 2>&1 &
  SERVER=$!
  PIDS+=($SERVER)
  wait_for_port "$1" || { echo "the server did not start"; tail -20 "$WORK/server-$1.log"; exit 1; }
}

serve "$A"
"${CHECK[@]}" setup "http://127.0.0.1:$A" "$TOKEN" "$WORK/secrets.json" "http://127.0.0.1:$R"
echo "==> events to three endpoints, verified by the standardwebhooks library"
"${CHECK[@]}" findings 5
"${CHECK[@]}" wait "$LOG"
echo "==> a secret rotation"
"${CHECK[@]}" rotate "$LOG"

echo "==> SIGKILL while deliveries are under way, then a restart"
echo 1.5 >"$WORK/mode"
"${CHECK[@]}" findings 30
sleep 2
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null || true
echo 0 >"$WORK/mode"
serve "$A"
"${CHECK[@]}" wait "$LOG"

if [[ "$DATABASE_URL" == postgres* ]]; then
  echo "==> two server processes on one database"
  serve "$B"
  SINCE="$(date +%s.%N)"
  "${CHECK[@]}" findings 60
  "${CHECK[@]}" wait "$LOG"
  "${CHECK[@]}" once "$LOG" "$SINCE"
fi
