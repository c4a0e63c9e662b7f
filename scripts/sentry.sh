#!/usr/bin/env bash
# The Sentry-compatible ingest as real SDKs use it: the Python `sentry-sdk` (from PyPI) and
# `@sentry/node` (from the npm registry), installed here on first use, given only an
# environment's DSN, report exceptions and messages (the Python SDK brotli-compressed, as it
# sends when the brotli module is there), and scripts/sentry_check.py reads the error groups
# back over REST; a key of another project is refused; a rotated key still reports for its
# grace period; a DSN over its quota is answered 429 and the SDK holds its events back. Both
# SDKs send cron check-ins (heartbeat monitors) and trace calls to a local provider (observed
# operations). DATABASE_URL picks the backend (default: SQLite).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

VENV="$(python_tool sentry-venv python "sentry-sdk==3.0.1 brotli==1.2.1")"
NODE_SDK="$CARGO_TARGET_DIR/sentry-node"
if [ ! -d "$NODE_SDK/node_modules/@sentry/node" ]; then
  echo "==> installing @sentry/node@11.12.0"
  npm install --silent --no-audit --no-fund --prefix "$NODE_SDK" @sentry/node@11.12.0 >/dev/null
fi
export NODE_PATH="$NODE_SDK/node_modules"
BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
PORT="${SENTRY_PORT:-3350}"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/sentry.db?mode=rwc}"
export TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_MONITOR=false TOLLGATE_WEBHOOKS=false
# Each DSN may send 30 events a minute: the check sends fewer by each, bar the one it floods.
export TOLLGATE_INGEST_RATE_LIMIT=30
export TOLLGATE_TRAIL_KEY_FILE="$WORK/trail-key" TOLLGATE_TRAIL_CHECKPOINTS="$WORK/checkpoints"
PIDS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "sentry-check-admin-password" | "$BIN" user create --email admin@example.com --name Ada --role admin --password-stdin >/dev/null
TOKEN="$("$BIN" token create --email admin@example.com --name sentry --scope read-write | grep -o 'tg_[A-Za-z0-9_-]*')"
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_PUBLIC_URL="http://127.0.0.1:$PORT" \
  "$BIN" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_for_health "http://127.0.0.1:$PORT" || { echo "the server did not start"; tail -20 "$WORK/server.log"; exit 1; }

"$VENV/bin/python" scripts/sentry_check.py "http://127.0.0.1:$PORT" "$TOKEN" scripts/sentry_node.cjs \
  || { tail -20 "$WORK/server.log"; exit 1; }
