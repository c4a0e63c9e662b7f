#!/usr/bin/env bash
# How big an integration's pages are (issue 30): the demo portfolio (`tollgate demo seed`) on a
# fresh SQLite database, the release server, and bench/page-size.cjs in Chromium at 1366 x 768
# opening every section page of every integration. Prints the fifteen tallest pages and the
# largest. No budget but "bounded": a list that grows with time shows a page of itself.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

BIN="$CARGO_TARGET_DIR/release/tollgate"
[ -x "$BIN" ] || bash scripts/build.sh
PORT="${BENCH_PORT:-3394}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

export DATABASE_URL="sqlite://$WORK/demo.db?mode=rwc" TOLLGATE_LOG=warn
"$BIN" migrate >/dev/null
"$BIN" demo seed >/dev/null
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_MONITOR=false "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
wait_for_health "$BASE"
node bench/page-size.cjs "$BASE" admin@saypro.example tollgate-demo-password
