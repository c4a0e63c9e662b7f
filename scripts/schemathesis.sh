#!/usr/bin/env bash
# Schemathesis (from PyPI, installed here on first use) against the live server, on a demo
# database, with a read-write admin token: property-based requests for every operation of
# /api/v1/openapi.json. Fails on any 5xx and on any response that violates the document.
# DATABASE_URL picks the backend (default: a fresh SQLite file).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

VENV="$(python_tool schemathesis-venv st schemathesis==4.32.5)"
BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
PORT="${SCHEMATHESIS_PORT:-3310}"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/schemathesis.db?mode=rwc}"
export TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0
# The generated environments have made-up addresses; the API is under test, not the monitor,
# which would otherwise try to reach them.
export TOLLGATE_MONITOR=false

"$BIN" demo seed >/dev/null
TOKEN="$("$BIN" token create --email admin@saypro.example --name schemathesis --scope read-write)"
"$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!
# Wait for the server to stop: at shutdown it appends the trail's last checkpoint to a file in
# $WORK, which would race the removal.
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_port "$PORT" || { echo "the server did not start"; tail -20 "$WORK/server.log"; exit 1; }

set +e
# One worker: with two, CPython 3.11's ast.parse, which Hypothesis calls from both threads to
# describe strategies, once failed with "AST constructor recursion depth mismatch" (a runtime
# error in the tool, not a finding).
"$VENV/bin/st" --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
  --workers 1 --seed "${SCHEMATHESIS_SEED:-1}" --no-color >"$WORK/report.txt" 2>&1
STATUS=$?
set -e
sed -n '/WARNINGS/,$p' "$WORK/report.txt"
if [ $STATUS -ne 0 ]; then
  cat "$WORK/report.txt"
  echo "--- server log"; tail -50 "$WORK/server.log"
  exit $STATUS
fi
if grep -q "ERROR\|panicked" "$WORK/server.log"; then
  echo "The server logged errors during the run:"; grep "ERROR\|panicked" "$WORK/server.log" | head -20
  exit 1
fi
