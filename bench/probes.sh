#!/usr/bin/env bash
# The monitoring budget (issue 7): 1,000 health checks every 10 seconds against a local
# endpoint, sustained (BENCH_SECONDS, default 300), with the scheduler under 25% of one core
# and a p99 start delay (started_at - scheduled_at) under 250 ms. The release server runs on a
# fresh SQLite database; the provider simulator (`tollgate simulate`) is a separate process.
# The first interval (every check due at once, as the environments are created) is left out
# of the figures. Figures to standard output.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

COUNT="${BENCH_CHECKS:-1000}"
SECONDS_RUN="${BENCH_SECONDS:-300}"
WORK="$(mktemp -d)"
PORT="${BENCH_PORT:-3392}"
SIM="127.0.0.1:${BENCH_SIM_PORT:-4019}"
DB="$WORK/bench.db"
source bench/lib.sh
bench_database
"$BIN" simulate --listen "$SIM" > "$WORK/sim.log" 2>&1 &
SIMULATOR=$!
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 \
  "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER $SIMULATOR 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
API="http://127.0.0.1:$PORT/api/v1"
bench_integration Stripe
echo "== $COUNT checks every 10 s against http://$SIM/health for $SECONDS_RUN s (release build, SQLite)"
for n in $(seq 1 "$COUNT"); do
  printf '{"name": "env-%04d", "base_url": "http://%s", "auth_scheme": "none", "health_path": "/health", "health_pointer": "/status", "health_pointer_value": "ok", "health_interval_seconds": "10", "health_timeout_ms": "2000"}\n' "$n" "$SIM"
done | while read -r body; do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" -d "$body" "$API/integrations/stripe/environments"
done
# Leave the first interval out: every check was due at once as it was created.
sleep 15
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
FROM="$(date -u +%Y-%m-%dT%H:%M:%S)"
C0=$(cpu $SERVER); S0=$(cpu $SIMULATOR); T0=$(date +%s.%N)
sleep "$SECONDS_RUN"
C1=$(cpu $SERVER); S1=$(cpu $SIMULATOR); T1=$(date +%s.%N)
UNTIL="$(date -u +%Y-%m-%dT%H:%M:%S)"
TICK=$(getconf CLK_TCK)
python3 - "$DB" "$FROM" "$UNTIL" "$C0" "$C1" "$S0" "$S1" "$T0" "$T1" "$TICK" "$COUNT" <<'PY'
import sqlite3, sys
db, since, until, c0, c1, s0, s1, t0, t1, tick, count = sys.argv[1:]
wall = float(t1) - float(t0)
server = (float(c1) - float(c0)) / float(tick) / wall * 100
sim = (float(s1) - float(s0)) / float(tick) / wall * 100
con = sqlite3.connect(db)
# Stored times are RFC 3339 text on SQLite; compare from the measurement start.
# Times are stored as RFC 3339 text; compare them as times, not as text.
rows = con.execute(
    "SELECT (julianday(started_at) - julianday(scheduled_at)) * 86400000.0, up FROM probe_results "
    "WHERE julianday(scheduled_at) >= julianday(?) AND julianday(scheduled_at) < julianday(?) ORDER BY 1",
    (since, until)).fetchall()
delays = sorted(r[0] for r in rows)
def pct(q):
    return delays[min(len(delays) - 1, max(0, -(-q * len(delays) // 100) - 1))] if delays else float("nan")
dupes = con.execute("SELECT COUNT(*) FROM (SELECT environment_id, scheduled_at FROM probe_results GROUP BY 1, 2 HAVING COUNT(*) > 1)").fetchone()[0]
expected = int(count) * wall / 10
print(f"   results in the window: {len(rows):,} (expected about {expected:,.0f}); failed: {sum(1 for r in rows if not r[1])}; slots run twice: {dupes}")
print(f"   start delay: p50 {pct(50):.1f} ms, p99 {pct(99):.1f} ms, max {delays[-1] if delays else float('nan'):.1f} ms (budget: p99 < 250 ms)")
print(f"   server CPU: {server:.1f}% of one core (budget: < 25%); simulator CPU: {sim:.1f}%")
PY
echo "   server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
