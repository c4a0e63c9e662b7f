#!/usr/bin/env bash
# sqlmap (from PyPI, installed here on first use) against a live server on a demo database:
# sign-in, search, list filters and sorting, a REST write and a server-function form. Fails
# when sqlmap reports any injectable parameter; prints what it tried.
# DATABASE_URL picks the backend (default: a fresh SQLite file). Takes several minutes.
#   bash scripts/sqlmap.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

VENV="$(python_tool sqlmap-venv sqlmap sqlmap==1.10.10)"
BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
PORT="${SQLMAP_PORT:-3330}"
BASE="http://127.0.0.1:$PORT"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/sqlmap.db?mode=rwc}"
export TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0
export TOLLGATE_MONITOR=false
# sqlmap's xforwardedfor tamper gives each sign-in attempt its own address behind this
# "proxy", so throttling (which would answer its guesses with 429) stays out of the test.
export TOLLGATE_TRUSTED_PROXIES=127.0.0.1
export TOLLGATE_TRAIL_KEY_FILE="$WORK/trail-key" TOLLGATE_TRAIL_CHECKPOINTS="$WORK/checkpoints"
DBMS=SQLite
case "$DATABASE_URL" in postgres*) DBMS=PostgreSQL ;; esac

"$BIN" demo seed >/dev/null
TOKEN="$("$BIN" token create --email admin@saypro.example --name sqlmap --scope read-write)"
"$BIN" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_port "$PORT" || { echo "the server did not start"; tail -20 "$WORK/server.log"; exit 1; }

# A session for the server-function form: the demo's coordinator signs in.
COOKIE="$(curl -s -D - -o /dev/null -H "Origin: $BASE" \
  --data-urlencode "email=coordinator@saypro.example" --data-urlencode "password=tollgate-demo-password" \
  "$BASE/api/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(tollgate_session=[^;]*\).*/\1/p')"
[ -n "$COOKIE" ] || { echo "could not sign in as the demo coordinator"; exit 1; }
INTEGRATION_ID="$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/integrations/stripe-payments" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["integration"]["id"])')"

COMMON=(--batch --level 3 --risk 1 --dbms "$DBMS" --flush-session --disable-coloring
  --output-dir "$WORK/out" --answers "follow=N")
TARGETS=0
FOUND=0
run() {
  local name="$1"; shift
  TARGETS=$((TARGETS + 1))
  echo "==> sqlmap: $name"
  "$VENV/bin/sqlmap" "${COMMON[@]}" "$@" >"$WORK/$TARGETS.log" 2>&1 || true
  grep -E "testing '|all tested parameters|is vulnerable|injectable" "$WORK/$TARGETS.log" \
    | grep -vE "^\[.*\] \[INFO\] testing '" | tail -5 || true
  local tests
  tests=$(grep -c "\[INFO\] testing '" "$WORK/$TARGETS.log" || true)
  echo "    $tests injection techniques tried"
  if [ "$tests" -eq 0 ]; then
    echo "    sqlmap tested nothing here:"; tail -15 "$WORK/$TARGETS.log"; FOUND=$((FOUND + 1))
  fi
  if grep -qE "sqlmap identified the following injection point|is vulnerable" "$WORK/$TARGETS.log"; then
    FOUND=$((FOUND + 1))
    sed -n '/identified the following injection point/,/---$/p' "$WORK/$TARGETS.log"
  fi
}

run "sign-in form (email, password)" -u "$BASE/api/login" \
  --data "email=someone%40example.com&password=not-the-password" -p "email,password" \
  --headers "Origin: $BASE" --ignore-code 401 --tamper xforwardedfor
run "search and list filters (q, stage, category, owner, sort, dir, page)" \
  -u "$BASE/api/v1/integrations?q=stripe&stage=live&category=payments&owner=1&sort=name&dir=asc&page=1" \
  -p "q,stage,category,owner,sort,dir,page" --headers "Authorization: Bearer $TOKEN"
run "activity filters (kind, entity_id, integration, page)" \
  -u "$BASE/api/v1/activity?kind=integration&entity_id=1&integration=stripe-payments&page=1" \
  -p "kind,entity_id,integration,page" --headers "Authorization: Bearer $TOKEN"
run "an integration by its slug (path)" -u "$BASE/api/v1/integrations/stripe-payments*" \
  --headers "Authorization: Bearer $TOKEN"
run "a server-function form (create_objective)" -u "$BASE/api/create_objective" \
  --data "integration_id=$INTEGRATION_ID&description=Faster+checkout&metric=Conversion&unit=%25&baseline=1&target=2&current=1" \
  -p "integration_id,description,metric,unit" \
  --headers "Origin: $BASE" --cookie "$COOKIE"

echo "sqlmap: $TARGETS targets against $DBMS, $FOUND with an injectable parameter"
[ "$FOUND" -eq 0 ]
