#!/usr/bin/env bash
# The webhook budgets (issue 31), on the release server and a fresh SQLite database:
# 1. idle: 100 real changes (audit findings, 5 a second) to one endpoint; the time from each
#    change to its delivery's arrival, p50 and p99 (budget: p99 under 2 s);
# 2. load: 1,000 changes a minute for BENCH_SECONDS (120) fanned out to 10 healthy endpoints,
#    with an 11th that hangs (held 60 s, past the 10 s timeout) and a 12th that is down (a
#    closed port) taking every event too; every 10 s the backlog owed to the healthy ten and
#    the server's RSS. Budget: the backlog does not grow, the healthy ten are not delayed by the
#    others, memory stays bounded.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

source bench/lib.sh
bench_database
PORT="${BENCH_PORT:-3392}"
SINK="$((PORT + 1))"
SECONDS_OF_LOAD="${BENCH_SECONDS:-120}"
python3 bench/webhook_sink.py "$SINK" "$WORK/sink.jsonl" &
SINK_PID=$!
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_MONITOR=false \
  TOLLGATE_OUTBOUND_ALLOW=127.0.0.1 "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER $SINK_PID 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
wait_for_port "$SINK"
API="http://127.0.0.1:$PORT/api/v1"
bench_integration Stripe

python3 - "$API" "$TOKEN" "$SINK" "$WORK/sink.jsonl" "$SERVER" "$SECONDS_OF_LOAD" <<'PY'
import json, sys, time, urllib.request
api, token, sink, log, pid, load_seconds = sys.argv[1:7]
load_seconds = int(load_seconds)

def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read() or b"null")

def rows():
    with open(log) as f:
        return [json.loads(l) for l in f if l.strip()]

def rss():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")

audit = call("POST", "/integrations/stripe/audits", {"title": "Bench", "checks": "x",
    "interval_days": "7", "first_due": time.strftime("%Y-%m-%d")})
run = call("POST", f"/audits/{audit['id']}/runs", {"notes": "x"})["runs"][0]["id"]
n = 0
def change():
    global n
    n += 1
    call("POST", f"/audit-runs/{run}/findings", {"summary": f"F{n}", "severity": "low", "remediation": "x"})

hook = lambda path: call("POST", "/webhooks", {"url": f"http://127.0.0.1:{sink}{path}", "events": ["audit.finding_opened"]})
first = hook("/ok/0")
for _ in range(100):
    change()
    time.sleep(0.2)
deadline = time.time() + 30
while time.time() < deadline and len(rows()) < 100:
    time.sleep(0.2)
lags = [r["lag"] for r in rows()]
print(f"   idle, one endpoint: {len(lags)} of 100 delivered; change to arrival p50 {pct(lags, .5)*1000:.0f} ms, p99 {pct(lags, .99)*1000:.0f} ms")

for i in range(1, 10):
    hook(f"/ok/{i}")
hook("/hang/0")
call("POST", "/webhooks", {"url": "http://127.0.0.1:9/dead", "events": ["audit.finding_opened"]})
start_n, start = n, time.time()
samples = []
next_sample = start + 10
while time.time() - start < load_seconds:
    due = start + (n - start_n) * 0.06  # 1,000 a minute
    if time.time() < due:
        time.sleep(due - time.time())
    change()
    if time.time() >= next_sample:
        got = sum(1 for r in rows() if r["path"].startswith("/ok/"))
        owed = 100 + (n - start_n) * 10
        samples.append((round(time.time() - start), owed - got, rss()))
        next_sample += 10
events = n - start_n
deadline = time.time() + 60
owed = 100 + events * 10
while time.time() < deadline and sum(1 for r in rows() if r["path"].startswith("/ok/")) < owed:
    time.sleep(0.5)
healthy = [r for r in rows() if r["path"].startswith("/ok/") and r["at"] >= start]
lags = [r["lag"] for r in healthy]
print(f"   load: {events} changes in {load_seconds} s ({events * 60 / load_seconds:.0f} a minute) to 10 healthy endpoints, one hanging, one down")
print(f"   healthy deliveries {len(healthy)} of {events * 10}; change to arrival p50 {pct(lags, .5)*1000:.0f} ms, p99 {pct(lags, .99)*1000:.0f} ms, max {max(lags)*1000:.0f} ms")
print("   backlog owed to the healthy ten / server RSS, every 10 s: " + ", ".join(f"{t}s {b} / {m} MB" for t, b, m in samples))
hang = sum(1 for r in rows() if r["path"].startswith("/hang"))
print(f"   the hanging endpoint got {hang} attempts (each held past the timeout); RSS at the end {rss()} MB")
PY
