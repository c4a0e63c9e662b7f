#!/usr/bin/env bash
# Two server processes on one PostgreSQL database for 60 seconds (REPLICAS_SECONDS), with 20
# environments checked every 10 seconds against the provider simulator: every check must run
# once. The simulator counts the requests it answers; they must match the stored results (a
# second run of a slot would be an extra request, its result refused by the unique index), and
# each environment must have run about every 10 seconds. Needs the release binary.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

BIN="$CARGO_TARGET_DIR/release/tollgate"
PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
DB_NAME="tollgate_replicas_$$"
RUN="${REPLICAS_SECONDS:-60}"
COUNT=20
WORK="$(mktemp -d)"
SIM="127.0.0.1:${REPLICAS_SIM_PORT:-4031}"
A="${REPLICAS_PORT_A:-3301}"
B="${REPLICAS_PORT_B:-3302}"
psql "$PG_URL" -qc "CREATE DATABASE $DB_NAME"
export DATABASE_URL="${PG_URL%/*}/$DB_NAME" TOLLGATE_LOG=warn TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 TOLLGATE_API_RATE_LIMIT=0
PIDS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB_NAME" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$BIN" migrate >/dev/null
echo "replicas-password-long-enough" | "$BIN" user create --email ops@example.com --name Ops --role admin --password-stdin >/dev/null
TOKEN="$("$BIN" token create --email ops@example.com --name replicas --scope read-write | grep -o 'tg_[A-Za-z0-9_-]*')"
"$BIN" simulate --listen "$SIM" > "$WORK/sim.log" 2>&1 & PIDS+=($!)
TOLLGATE_LISTEN="127.0.0.1:$A" "$BIN" serve > "$WORK/a.log" 2>&1 & PIDS+=($!)
TOLLGATE_LISTEN="127.0.0.1:$B" "$BIN" serve > "$WORK/b.log" 2>&1 & PIDS+=($!)
for port in "$A" "$B"; do
  wait_for_health "http://127.0.0.1:$port"
done
curl -fs "http://$SIM/mode" >/dev/null
API="http://127.0.0.1:$A/api/v1"
ME="$(curl -fs -H "Authorization: Bearer $TOKEN" "$API/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
  -d "{\"name\": \"Stripe\", \"provider\": \"Stripe\", \"category\": \"payments\", \"owner_id\": \"$ME\", \"business_objective\": \"Card payments.\", \"priority\": \"high\"}" \
  "$API/integrations"
for n in $(seq 1 $COUNT); do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"env-$n\", \"base_url\": \"http://$SIM\", \"auth_scheme\": \"none\", \"health_path\": \"/health\", \"health_interval_seconds\": \"10\", \"health_timeout_ms\": \"2000\"}" \
    "$API/integrations/stripe/environments"
done
echo "==> two servers on one PostgreSQL database, $COUNT checks every 10 s, for $RUN s"
sleep "$RUN"
# Stop both servers (each records the checks it started before it exits), then compare.
kill "${PIDS[1]}" "${PIDS[2]}"
wait "${PIDS[1]}" "${PIDS[2]}" 2>/dev/null || true
sleep 1
HITS="$(curl -fs "http://$SIM/hits")"
read -r RESULTS SLOTS MIN MAX < <(psql "$DATABASE_URL" -Atc \
  "SELECT COUNT(*), COUNT(DISTINCT (environment_id, scheduled_at)), MIN(n), MAX(n) FROM probe_results, (SELECT environment_id AS e, COUNT(*) AS n FROM probe_results GROUP BY 1) per WHERE per.e = environment_id" | tr '|' ' ')
echo "   simulator requests: $HITS; results: $RESULTS; distinct slots: $SLOTS; per environment: $MIN to $MAX"
EXPECT_MIN=$(( RUN / 10 - 1 ))
FAIL=0
# A stopping server records the checks in flight before it exits, so every request the
# simulator answered has its result; a lease that failed would run about every check twice.
[ "$HITS" = "$RESULTS" ] || { echo "checks ran more often than they were recorded ($HITS requests, $RESULTS results)"; FAIL=1; }
[ "$RESULTS" = "$SLOTS" ] || { echo "a slot was recorded twice"; FAIL=1; }
[ "$MIN" -ge "$EXPECT_MIN" ] || { echo "an environment ran only $MIN times in $RUN s (expected at least $EXPECT_MIN)"; FAIL=1; }
[ "$MAX" -le $(( RUN / 10 + 2 )) ] || { echo "an environment ran $MAX times in $RUN s"; FAIL=1; }
grep -h "lease was lost\|already recorded" "$WORK/a.log" "$WORK/b.log" | head -5 || true
exit $FAIL
