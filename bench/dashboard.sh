#!/usr/bin/env bash
# The dashboard budgets (issue 9), measured on the release build:
# - a generated portfolio (1,000 integrations, 1,000,000 probe results, 100,000 trail rows);
# - the signed-in dashboard page under wrk (32 connections, BENCH_SECONDS, default 30) and, in
#   the same run, a static asset of the same server: throughput ratio (budget >= 0.3) and the
#   dashboard's p99 (budget < 50 ms), on SQLite and on PostgreSQL;
# - growth: the dashboard's p99 at 10,000 integrations against 100 (budget <= 2x), on SQLite;
# - the server's peak memory under that load (budget <= 150 MB);
# - what a first visit downloads: the WebAssembly and JavaScript a fresh browser fetches to
#   open and hydrate a page, gzip (budget <= 350 KB).
# Figures to standard output. BENCH_BACKENDS=sqlite skips PostgreSQL (BENCH_BACKENDS=" " both);
# BENCH_GROWTH=0 skips the growth check.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BIN="$CARGO_TARGET_DIR/release/tollgate"
[ -x "$BIN" ] || bash scripts/build.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# PostgreSQL installed, started and its test role made, as the test suite has it.
case "${BENCH_BACKENDS:-sqlite postgres}" in *postgres*) bash scripts/test-setup.sh >/dev/null ;; esac
DURATION="${BENCH_SECONDS:-30}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
PORT="${BENCH_PORT:-3393}"
BASE="http://127.0.0.1:$PORT"
STATIC="/pkg/$(cd target/site/pkg && ls -- *.css | head -1)"
WORK="$(mktemp -d)"
SERVER=""
PGDB=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -n "$PGDB" ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# One measured run: BACKEND INTEGRATIONS PROBES TRAIL. Prints "DASH_RPS DASH_P99 STATIC_RPS
# STATIC_P99 PEAK_RSS_KB GENERATE_SECONDS".
measure() {
  local backend="$1" n="$2" probes="$3" trail="$4"
  bench_fresh_database "$backend" "tollgate_bench_$$_$n"
  echo "bench-password-long-enough" | "$BIN" user create --email bench@example.com --name Bench --role stakeholder --password-stdin >/dev/null
  local t0 t1
  t0=$(date +%s.%N)
  "$BIN" demo generate --owner bench@example.com --integrations "$n" --probe-results "$probes" --trail-rows "$trail" >&2
  t1=$(date +%s.%N)
  TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_MONITOR=false "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_health "$BASE"
  local cookie
  cookie="$(bench_cookie "$BASE" bench@example.com)"
  curl -fs -H "Cookie: $cookie" "$BASE/" | grep -q "<h1>Portfolio</h1>" || { echo "the dashboard did not render" >&2; exit 1; }
  # Warm up, then measure the page and the static asset back to back.
  wrk -t2 -c32 -d3s -H "Cookie: $cookie" "$BASE/" >/dev/null
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "Cookie: $cookie" "$BASE/" > "$WORK/dash.txt"
  wrk -t2 -c32 -d"${DURATION}s" --latency "$BASE$STATIC" > "$WORK/static.txt"
  local rss
  rss=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  if [ -n "$PGDB" ]; then psql "$PG_URL" -qc "DROP DATABASE $PGDB" >/dev/null; PGDB=""; fi
  echo "$(figures "$WORK/dash.txt") $(figures "$WORK/static.txt") $rss $(python3 -c "print(f'{$t1 - $t0:.0f}')")"
}

report() {
  local label="$1"; shift
  read -r drps dp99 srps sp99 rss gen <<< "$*"
  python3 - "$label" "$drps" "$dp99" "$srps" "$sp99" "$rss" "$gen" <<'PY'
import sys
label, drps, dp99, srps, sp99, rss, gen = sys.argv[1:]
ratio = float(drps) / float(srps)
print(f"== {label} (generated in {gen} s)")
print(f"   dashboard: {float(drps):,.0f} req/s, p99 {dp99} ms (budget < 50 ms)")
print(f"   static asset: {float(srps):,.0f} req/s, p99 {sp99} ms")
print(f"   throughput ratio: {ratio:.2f} (budget >= 0.3)")
print(f"   server peak RSS: {int(rss) / 1024:.0f} MB (budget <= 150 MB)")
PY
}

for backend in $BACKENDS; do
  report "$backend, 1,000 integrations, 1,000,000 probe results, 100,000 trail rows, $DURATION s" \
    "$(measure "$backend" 1000 1000000 100000)"
done

if [ "${BENCH_GROWTH:-1}" != 0 ]; then
  small="$(measure sqlite 100 100000 100000)"
  large="$(measure sqlite 10000 1000000 100000)"
  report "sqlite, 100 integrations" "$small"
  report "sqlite, 10,000 integrations" "$large"
  python3 -c "import sys; s, l = float(sys.argv[1]), float(sys.argv[2]); print(f'== growth: p99 {l:.1f} ms at 10,000 against {s:.1f} ms at 100: {l / s:.2f}x (budget <= 2x)')" \
    "$(echo "$small" | awk '{print $2}')" "$(echo "$large" | awk '{print $2}')"
fi

# A first visit: the demo portfolio, a fresh browser signed in as its coordinator, each page
# opened cold; the WebAssembly and JavaScript it fetched, gzip -9 (bench/first-visit.cjs).
first_visit() {
  export DATABASE_URL="sqlite://$WORK/first-visit.db?mode=rwc" TOLLGATE_LOG=warn
  "$BIN" migrate >/dev/null
  "$BIN" demo seed >/dev/null
  TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_MONITOR=false "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_health "$BASE"
  local slug
  slug=$(curl -fs -c "$WORK/fv-jar" -o /dev/null -H "Origin: $BASE" -d "email=coordinator@saypro.example&password=tollgate-demo-password" "$BASE/api/login" \
    && curl -fs -b "$WORK/fv-jar" "$BASE/integrations" | grep -o 'href="/integrations/[a-z0-9-]*"' | grep -v '/new"' | head -1 | sed 's|.*/integrations/||; s|"||')
  for path in / /integrations "/integrations/$slug"; do
    echo "== first visit of $path (gzip -9; budget <= 350 KB in total)"
    node bench/first-visit.cjs "$BASE" coordinator@saypro.example tollgate-demo-password "$path" target/site \
      | awk '/^total:/ {printf "   total: %d KB gzip\n", $2 / 1024; next} {print}'
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}
first_visit
