#!/usr/bin/env bash
# The webhook budgets (issue 31), on the release server and a fresh SQLite database:
# 1. idle: 100 real changes (audit findings, 5 a second) to one endpoint; the time from each
#    change to its delivery's arrival, p50 and p99 (budget: p99 under 2 s);
# 2. load: 1,000 changes a minute for BENCH_SECONDS (120) fanned out to 10 healthy endpoints,
#    with an 11th that hangs (held 60 s, past the 10 s timeout) and a 12th that is down (a
#    closed port) taking every event too; every 10 s the backlog owed to the healthy ten and
#    the server's RSS. Budget: the backlog does not grow, the healthy ten are not delayed by the
#    others, memory stays bounded;
# 3. an hour of events against a dead endpoint, simulated: BENCH_HOUR_EVENTS (60,000, an hour
#    at 1,000 a minute) changes as fast as four clients make them, to one healthy endpoint and
#    the dead one (the hanging one and nine healthy ones removed); every 10 s the server's RSS
#    and the dead endpoint's deliveries waiting. Budget: memory stays bounded while the dead
#    endpoint's backlog grows to the hour's events.
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

python3 - "$API" "$TOKEN" "$SINK" "$WORK/sink.jsonl" "$SERVER" "$SECONDS_OF_LOAD" "${BENCH_HOUR_EVENTS:-60000}" <<'PY'
import json, sys, threading, time
api, token, sink, log, pid, load_seconds, hour_events = sys.argv[1:8]
load_seconds, hour_events = int(load_seconds), int(hour_events)
sys.path.insert(0, "bench")
import benchlib
from benchlib import Api, pct
call = Api(api, token).call

def rss():
    return benchlib.rss(pid)

def rows():
    with open(log) as f:
        return [json.loads(l) for l in f if l.strip()]

audit = call("POST", "/integrations/stripe/audits", {"title": "Bench", "checks": "x",
    "interval_days": "7", "first_due": time.strftime("%Y-%m-%d")})
run = call("POST", f"/audits/{audit['id']}/runs", {"notes": "x"})["runs"][0]["id"]
n = 0
counting = threading.Lock()
def change():
    global n
    with counting:
        n += 1
        mine = n
    call("POST", f"/audit-runs/{run}/findings", {"summary": f"F{mine}", "severity": "low", "remediation": "x"})

hook = lambda path: call("POST", "/webhooks", {"url": f"http://127.0.0.1:{sink}{path}", "events": ["audit.finding_opened"]})
first = hook("/ok/0")
hooks = [first]
for _ in range(100):
    change()
    time.sleep(0.2)
deadline = time.time() + 30
while time.time() < deadline and len(rows()) < 100:
    time.sleep(0.2)
lags = [r["lag"] for r in rows()]
print(f"   idle, one endpoint: {len(lags)} of 100 delivered; change to arrival p50 {pct(lags, .5)*1000:.0f} ms, p99 {pct(lags, .99)*1000:.0f} ms")

for i in range(1, 10):
    hooks.append(hook(f"/ok/{i}"))
hanging = hook("/hang/0")
dead = call("POST", "/webhooks", {"url": "http://127.0.0.1:9/dead", "events": ["audit.finding_opened"]})
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

# An hour of events with a dead endpoint, simulated: as fast as four clients make them.
for h in hooks[1:] + [hanging]:
    call("DELETE", f"/webhooks/{h['id']}")
def waiting():
    _, headers = call("GET", f"/webhooks/{dead['id']}/deliveries", headers=True)
    return int(headers["X-Total-Count"])
before_rss, before_ok = rss(), sum(1 for r in rows() if r["path"] == "/ok/0")
start_n, start = n, time.time()
def client(count):
    for _ in range(count):
        change()
workers = [threading.Thread(target=client, args=(hour_events // 4,)) for _ in range(4)]
for w in workers:
    w.start()
samples = []
while any(w.is_alive() for w in workers):
    time.sleep(10)
    samples.append((round(time.time() - start), n - start_n, rss()))
for w in workers:
    w.join()
made = n - start_n
deadline = time.time() + 300
while time.time() < deadline and sum(1 for r in rows() if r["path"] == "/ok/0") < before_ok + made:
    time.sleep(1)
    samples.append((round(time.time() - start), made, rss()))
got = sum(1 for r in rows() if r["path"] == "/ok/0") - before_ok
print(f"   an hour simulated: {made} changes in {time.time() - start:.0f} s; the healthy endpoint got {got}; the dead one has {waiting()} deliveries")
print("   changes made / server RSS, every 10 s: " + ", ".join(f"{t}s {c} / {m} MB" for t, c, m in samples[::3]))
print(f"   RSS before {before_rss} MB, peak {max(m for _, _, m in samples)} MB, at the end {rss()} MB")
PY
