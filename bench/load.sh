#!/usr/bin/env bash
# Real use (issue 28), on the release build: many readers while others write, with the
# monitor running. For each backend (SQLite, PostgreSQL):
# - a generated portfolio: BENCH_INTEGRATIONS (1,000) integrations, BENCH_PROBES (300,000)
#   probe results, 100,000 trail rows; each integration has an environment, and the monitor
#   checks BENCH_CHECKS (1,000) of them every 60 s against the provider simulator (`tollgate
#   simulate`, a local process): the budget's mix, the same whatever the portfolio's size (the
#   other environments' checks are not due for years);
# - BENCH_READERS (32) stakeholders, each signed in with a session of their own; wrk sends each
#   request with the next reader's cookie (bench/readers.lua), 32 connections;
# - BENCH_EDITS (10) integration edits per second through the REST API while wrk runs, and
#   every 2 s an edit whose row is polled on the dashboard until it shows (bench/writer.py);
# - measured in one run, BENCH_SECONDS (20) each: the dashboard with nobody writing, then
#   with the edits (and the monitor) going on: the dashboard, the integrations list, an
#   integration's page (which holds its activity) and a static asset of the same server.
# Budgets: each page's throughput >= 0.3 of the static asset's and p99 < 50 ms; an edit
# visible on the dashboard within 1 s; server peak RSS <= 150 MB.
# BENCH_BACKENDS=sqlite runs SQLite only; BENCH_BIN measures another server binary (the one
# an earlier commit built, for a before-and-after). Figures to standard output.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The release build makes the data (its `demo generate`); $BIN serves it.
CLI="$CARGO_TARGET_DIR/release/tollgate"
[ -x "$CLI" ] || bash scripts/build.sh
BIN="${BENCH_BIN:-$CLI}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
case "${BENCH_BACKENDS:-sqlite postgres}" in *postgres*) bash scripts/test-setup.sh >/dev/null ;; esac
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
DURATION="${BENCH_SECONDS:-20}"
N="${BENCH_INTEGRATIONS:-1000}"
PROBES="${BENCH_PROBES:-300000}"
READERS="${BENCH_READERS:-32}"
EDITS="${BENCH_EDITS:-10}"
CHECKS="${BENCH_CHECKS:-1000}"
PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
PORT="${BENCH_PORT:-3394}"
BASE="http://127.0.0.1:$PORT"
# The generated environments point here (server/src/seed/generate.rs).
SIM="127.0.0.1:4010"
STATIC="/pkg/$(cd target/site/pkg && ls -- *.css | head -1)"
WORK="$(mktemp -d)"
SERVER="" SIMULATOR="" PGDB=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -n "$SIMULATOR" ] && kill "$SIMULATOR" 2>/dev/null
  [ -n "$PGDB" ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

"$CLI" simulate --listen "$SIM" > "$WORK/sim.log" 2>&1 &
SIMULATOR=$!

# wrk for $DURATION s at path $1 as the readers, its figures under label $2.
readers() {
  BENCH_COOKIES="$WORK/cookies" wrk -t2 -c32 -d"${DURATION}s" --latency -s bench/readers.lua "$BASE$1" > "$WORK/wrk.txt"
  local measured
  measured="$(figures "$WORK/wrk.txt")"
  echo "$2 $measured" >> "$WORK/figures"
}

# How many probe results the database holds.
probe_count() {
  if [ "$1" = sqlite ]; then
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM probe_results").fetchone()[0])' "$WORK/bench.db"
  else
    psql "${PG_URL%/*}/$PGDB" -tAc "SELECT COUNT(*) FROM probe_results"
  fi
}

run() {
  local backend="$1"
  bench_fresh_database "$backend" "tollgate_load_$$"
  echo "bench-password-long-enough" | "$CLI" user create --email bench@example.com --name Bench --role admin --password-stdin >/dev/null
  local token
  token="$("$CLI" token create --email bench@example.com --name bench --scope read-write | grep -o 'tg_[A-Za-z0-9_-]*')"
  "$CLI" demo generate --owner bench@example.com --integrations "$N" --probe-results "$PROBES" --trail-rows 100000 --checks-due "$CHECKS" >&2
  for r in $(seq 1 "$READERS"); do
    echo "bench-password-long-enough" | "$CLI" user create --email "reader$r@example.com" --name "Reader $r" --role stakeholder --password-stdin >/dev/null
  done
  TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_MONITOR=true TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 \
    TOLLGATE_API_RATE_LIMIT=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_health "$BASE"
  local before
  before=$(probe_count "$backend")
  bench_sign_in_readers "$BASE" "$READERS"
  local cookie
  cookie="$(head -1 "$WORK/cookies")"
  curl -fs -H "Cookie: $cookie" "$BASE/" | grep -q "<h1>Portfolio</h1>" || { echo "the dashboard did not render" >&2; exit 1; }
  : > "$WORK/figures"
  # Warm up, then the readers alone.
  BENCH_COOKIES="$WORK/cookies" wrk -t2 -c32 -d3s -s bench/readers.lua "$BASE/" >/dev/null
  readers / "dashboard,_nobody_writing"
  # The same readers while the edits go on (the monitor runs all along).
  local pages=3 writing
  writing=$(( DURATION * (pages + 1) + 10 ))
  python3 bench/writer.py "$BASE/api/v1" "$token" "$EDITS" "$writing" "$BASE" "$cookie" "$WORK/writer.json" "$N" &
  local writer=$!
  sleep 2
  readers / "dashboard,_${EDITS}_edits/s"
  readers /integrations "integrations_list,_${EDITS}_edits/s"
  readers "/integrations/generated-$(printf %05d $(( (N + 1) / 2 )))" "an_integration,_${EDITS}_edits/s"
  wrk -t2 -c32 -d"${DURATION}s" --latency "$BASE$STATIC" > "$WORK/static.txt"
  echo "static_asset,_${EDITS}_edits/s $(figures "$WORK/static.txt")" >> "$WORK/figures"
  wait "$writer"
  local rss checks
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
  checks=$(( $(probe_count "$backend") - before ))
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  if [ -n "$PGDB" ]; then psql "$PG_URL" -qc "DROP DATABASE $PGDB" >/dev/null; PGDB=""; fi
  python3 - "$backend" "$WORK/figures" "$WORK/writer.json" "$rss" "$N" "$PROBES" "$READERS" "$EDITS" "$checks" <<'PY'
import json, sys
backend, figures, writer, rss, n, probes, readers, edits, checks = sys.argv[1:]
rows = [line.split() for line in open(figures) if line.strip()]
static = float(rows[-1][1])
print(f"== {backend}: {int(n):,} integrations, {int(probes):,} probe results, {readers} readers "
      f"with sessions of their own, monitor on ({checks} checks made while serving)")
for label, rps, p99 in rows:
    ratio = float(rps) / static
    budget = "" if label.startswith("static") else f", {ratio:.2f} of the static asset (budget >= 0.3, p99 < 50 ms)"
    print(f"   {label.replace('_', ' ')}: {float(rps):,.0f} req/s, p99 {p99} ms{budget}")
w = json.load(open(writer))
delays = sorted(w["delays_ms"])
if delays:
    mid = delays[len(delays) // 2]
    print(f"   edits: {w['made']:,} made ({w['failed']} failed); an edit shown on the dashboard after "
          f"{mid:.0f} ms median, {delays[-1]:.0f} ms at most, over {len(delays)} polls (budget <= 1,000 ms)")
print(f"   server peak RSS: {int(rss) / 1024:.0f} MB (budget <= 150 MB)")
PY
}

for backend in $BACKENDS; do
  run "$backend"
done
