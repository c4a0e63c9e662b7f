#!/usr/bin/env bash
# Browser tests: a release build served on its own port and a fresh SQLite database, driven by
# Playwright in Chromium.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

PORT="${E2E_PORT:-3100}"
SIM_PORT="$((PORT + 99))"
WORK="$(mktemp -d)"
LOG="$ROOT/end2end/e2e-server.log"
BIN="$CARGO_TARGET_DIR/release/tollgate"

# Environments in the tests point at this server's /healthz or at the provider simulator it
# also serves, so probes may reach loopback; one failed check is down (so the incident test is
# quick), and one successful production check opens the go-live gate. The proxy variables
# point at a closed port: outbound clients must ignore them (a proxy would bypass the outbound
# guard's address pinning), so every probe and spec fetch in these tests fails if one does not.
HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 ALL_PROXY=http://127.0.0.1:9 \
  http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 NO_PROXY= \
  DATABASE_URL="sqlite://$WORK/e2e.db?mode=rwc" TOLLGATE_LISTEN="127.0.0.1:$PORT" \
  TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 TOLLGATE_GATE_HEALTH_SUCCESSES=1 TOLLGATE_DOWN_AFTER=1 \
  TOLLGATE_DEMO_SIMULATOR="127.0.0.1:$SIM_PORT" \
  TOLLGATE_LOG=info "$BIN" serve > "$LOG" 2>&1 &
SERVER=$!
# Wait for the server to stop: at shutdown it appends the trail's last checkpoint to a file in
# $WORK, which would race the removal.
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

wait_for_health "http://127.0.0.1:$PORT" || { cat "$LOG"; exit 1; }

cd end2end
TOLLGATE_URL="http://127.0.0.1:$PORT" TOLLGATE_SIMULATOR_URL="http://127.0.0.1:$SIM_PORT" \
  TOLLGATE_LOG_FILE="$LOG" npx playwright test "$@"
