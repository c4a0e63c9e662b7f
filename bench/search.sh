#!/usr/bin/env bash
# The search budget (issue 30), measured on the release build: p99 under 50 ms over 200,000
# searchable records, on SQLite and on PostgreSQL.
# - A generated portfolio (1,000 integrations with their milestones, environments and
#   incidents) and BENCH_RECORDS (196,000) more records: meetings, action items and defects
#   whose text is generated words, some common and most rare, as in real notes.
#   The generated words come in Zipf's proportions, as words of real text do: the commonest
#   is in most records, most are rare.
# - Queries drawn from those records (one word, two words, a word's first letters), each
#   request the next of BENCH_QUERIES (400) and the next of BENCH_READERS (16) signed-in
#   coordinators, under wrk (16 connections), while a writer adds meetings through the REST
#   API (BENCH_WRITES a second, default 5) and the monitor runs. Three runs of BENCH_SECONDS
#   (default 30) each:
#   - "steady": the mix, each reader pausing BENCH_THINK_MS (default 400 ms, random) between
#     searches, about 35 searches a second: the budget's run;
#   - "common": the same pace, every query one of the 20 commonest words (each matching tens
#     of thousands of records), the worst case of the mix, on its own;
#   - "flat out": the mix with no pauses, the most searches a second the server answers.
# Figures to standard output: searchable records, then per run searches a second and p99
# (ms), and writes made. BENCH_BACKENDS=sqlite skips PostgreSQL.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

BIN="$CARGO_TARGET_DIR/release/tollgate"
[ -x "$BIN" ] || bash scripts/build.sh
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
case "${BENCH_BACKENDS:-sqlite postgres}" in *postgres*) bash scripts/test-setup.sh >/dev/null ;; esac
DURATION="${BENCH_SECONDS:-30}"
RECORDS="${BENCH_RECORDS:-196000}"
READERS="${BENCH_READERS:-16}"
QUERIES="${BENCH_QUERIES:-400}"
WRITES="${BENCH_WRITES:-5}"
THINK="${BENCH_THINK_MS:-400}"
PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
PORT="${BENCH_PORT:-3394}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
SERVER=""
PGDB=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -n "$PGDB" ] && psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

# The SQL answer of $1 on the bench database, one row a line.
sql() {
  if [ -z "$PGDB" ]; then
    python3 -c 'import sqlite3,sys; [print("|".join(map(str, r))) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]' "$WORK/bench.db" "$1"
  else
    psql "$DATABASE_URL" -Atc "$1"
  fi
}

for BACKEND in ${BENCH_BACKENDS:-sqlite postgres}; do
  bench_fresh_database "$BACKEND" "tollgate_bench_search_$$"
  for r in $(seq 1 "$READERS"); do
    echo "bench-password-long-enough" | "$BIN" user create --email "reader$r@example.com" --name "Reader $r" --role coordinator --password-stdin >/dev/null
  done
  TOKEN="$("$BIN" token create --email reader1@example.com --name bench --scope read-write | grep -o 'tg_[A-Za-z0-9_-]*')"
  t0=$(date +%s.%N)
  "$BIN" demo generate --owner reader1@example.com --integrations 1000 --probe-results 100000 --trail-rows 0 --records "$RECORDS" --checks-due 50 >&2
  t1=$(date +%s.%N)
  docs="$(sql "SELECT count(*) FROM search_docs")"
  # Queries from the records themselves: a word of a meeting's title, two words of a defect's,
  # the first four letters of an action item's word; and apart, the 20 commonest words.
  sql "SELECT title FROM meetings ORDER BY random() LIMIT $QUERIES" > "$WORK/meetings.txt"
  sql "SELECT title FROM defects ORDER BY random() LIMIT $QUERIES" > "$WORK/defects.txt"
  sql "SELECT text FROM action_items ORDER BY random() LIMIT $QUERIES" > "$WORK/items.txt"
  python3 - "$WORK" "$QUERIES" <<'PY'
import collections, random, sys, urllib.parse
work, n = sys.argv[1], int(sys.argv[2])
lines = lambda f: [l.split() for l in open(f"{work}/{f}") if l.strip()]
meetings, defects, items = lines("meetings.txt"), lines("defects.txt"), lines("items.txt")
random.seed(7)
path = lambda q: "/api/v1/search?q=" + urllib.parse.quote(q)
out = []
for k in range(n):
    kind = k % 10
    if kind < 4:
        q = random.choice(random.choice(meetings))
    elif kind < 7:
        q = " ".join(random.choice(defects)[:2])
    else:
        q = random.choice(random.choice(items))[:4]
    out.append(path(q))
open(f"{work}/paths", "w").write("\n".join(out) + "\n")
common = collections.Counter(w for l in meetings + defects + items for w in l).most_common(20)
open(f"{work}/common", "w").write("\n".join(path(w) for w, _ in common) + "\n")
PY
  TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_MONITOR=true TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 \
    TOLLGATE_API_RATE_LIMIT=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_health "$BASE"
  bench_sign_in_readers "$BASE" "$READERS"
  first="$(head -1 "$WORK/paths")"
  curl -fs -H "Cookie: $(head -1 "$WORK/cookies")" "$BASE$first" | grep -q '"groups"' || { echo "search did not answer" >&2; exit 1; }
  BENCH_COOKIES="$WORK/cookies" BENCH_PATHS="$WORK/paths" wrk -t2 -c"$READERS" -d3s -s bench/search.lua "$BASE/" >/dev/null
  python3 - "$BASE/api/v1" "$TOKEN" "$WRITES" "$((DURATION * 3))" > "$WORK/writes.txt" <<'PY' &
import json, sys, time, urllib.request
api, token, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
made = failed = 0
stop = time.monotonic() + seconds
k = 0
while time.monotonic() < stop:
    slug = f"generated-{k % 1000:05d}"
    body = json.dumps({"starts_at": "2026-12-01T10:00", "title": f"Bench meeting {k}",
                       "attendee_ids": [], "outside_attendees": "", "agenda": "Search while writing",
                       "notes": f"Written during the search bench, number {k}.", "decisions": ""}).encode()
    req = urllib.request.Request(f"{api}/integrations/{slug}/meetings", data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=10).read()
        made += 1
    except Exception as e:
        failed += 1
        print(e, file=sys.stderr)
    k += 1
    time.sleep(1 / rate)
print(made, failed)
PY
  WRITER=$!
  run() { # $1 paths file, $2 think time (ms): "searches/s p99"
    BENCH_COOKIES="$WORK/cookies" BENCH_PATHS="$1" BENCH_THINK_MS="$2" wrk -t2 -c"$READERS" -d"${DURATION}s" --latency -s bench/search.lua "$BASE/" > "$WORK/wrk.txt"
    figures "$WORK/wrk.txt"
  }
  read -r steady_rps steady_p99 <<< "$(run "$WORK/paths" "$THINK")"
  read -r common_rps common_p99 <<< "$(run "$WORK/common" "$THINK")"
  read -r flat_rps flat_p99 <<< "$(run "$WORK/paths" 0)"
  wait "$WRITER"
  read -r made failed < "$WORK/writes.txt"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
  printf '%s: %s searchable records (generated in %.0f s); steady %s searches/s, p99 %s ms (budget < 50); common words %s/s, p99 %s ms; flat out %s/s, p99 %s ms; %s meetings written meanwhile, %s failed\n' \
    "$BACKEND" "$docs" "$(echo "$t1 - $t0" | bc)" "$steady_rps" "$steady_p99" "$common_rps" "$common_p99" "$flat_rps" "$flat_p99" "$made" "$failed"
  [ "$failed" = 0 ] || { echo "writes failed during the bench" >&2; exit 1; }
  if [ -n "$PGDB" ]; then psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null; PGDB=""; fi
done
