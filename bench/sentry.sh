#!/usr/bin/env bash
# The Sentry-compatible ingest's budgets (issue 32), on the release server and a fresh SQLite
# database:
# 1. envelopes of 100 events each (20 kinds of exception with stack frames and breadcrumbs,
#    ids and numbers varying, gzip-compressed as the SDKs send them), posted for
#    BENCH_SECONDS (300) by BENCH_CLIENTS (4) clients as fast as they are answered: events a
#    second, p50 and p99 per envelope, and the server's RSS every 10 s. Budget: >= 5,000
#    events a second, p99 < 50 ms, no growth of memory;
#    (at saturation: what the server can take);
# 2. the same envelopes at the budget's rate, 5,000 events a second (50 envelopes a second,
#    sent on a fixed schedule by eight senders, each latency counted from when it was due, so
#    a slow answer cannot hide by delaying the next request), for BENCH_PACED_SECONDS (60):
#    p50 and p99 per envelope. Budget: p99 < 50 ms;
# 3. one 1 MB event with a deep stack (5,000 frames), posted ten times: the time to parse
#    and store it (the request's whole time, on loopback). Budget: < 20 ms.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

source bench/lib.sh
bench_database
PORT="${BENCH_PORT:-3394}"
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_PUBLIC_URL="http://127.0.0.1:$PORT" \
  TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_MONITOR=false "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
API="http://127.0.0.1:$PORT/api/v1"
bench_integration Stripe

python3 -u - "$API" "$TOKEN" "$SERVER" "${BENCH_SECONDS:-300}" "${BENCH_CLIENTS:-4}" "${BENCH_PACED_SECONDS:-60}" <<'PY'
import gzip, json, random, sys, threading, time, urllib.request
api, token, pid, seconds, clients = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
paced_seconds = int(sys.argv[6])
sys.path.insert(0, "bench")
import benchlib
from benchlib import Api, pct
call = Api(api, token).call

def rss():
    return benchlib.rss(pid)

env = call("POST", "/integrations/stripe/environments",
           {"name": "production", "base_url": "https://api.stripe.example", "auth_scheme": "bearer"})
dsn = call("GET", f"/environments/{env['id']}/dsn")
key = dsn["dsn"].split("://")[1].split("@")[0]
url = dsn["envelope_url"]
headers = {"X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7",
           "Content-Type": "application/x-sentry-envelope", "Content-Encoding": "gzip"}

def event(rng, frames=12):
    k = rng.randrange(20)
    return {"event_id": "%032x" % rng.getrandbits(128), "level": "error", "platform": "python",
            "timestamp": time.time(), "release": "shop@1.4.2", "tags": {"operation": "POST /v1/charges"},
            "exception": {"values": [{"type": f"Error{k}",
                "value": f"charge ch_{rng.randrange(10**9)} failed after {rng.randrange(100, 30000)} ms",
                "stacktrace": {"frames": [{"function": f"f{i}", "filename": f"app/m{i}.py", "lineno": i + 1, "in_app": True}
                                          for i in range(frames)]}}]},
            "breadcrumbs": {"values": [{"category": "http", "message": f"GET /v1/customers/cus_{rng.randrange(10**6)} 200"}
                                       for _ in range(5)]}}

def envelope(events):
    lines = [json.dumps({"sent_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})]
    for e in events:
        body = json.dumps(e)
        lines += [json.dumps({"type": "event", "length": len(body.encode())}), body]
    return "\n".join(lines).encode() + b"\n"

rng = random.Random(7)
bodies = [gzip.compress(envelope([event(rng) for _ in range(100)])) for _ in range(40)]
print(f"   envelopes of 100 events: {sum(map(len, bodies)) // len(bodies):,} bytes gzip on average")

def post(body, hdrs=headers):
    req = urllib.request.Request(url, method="POST", data=body, headers=hdrs)
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=30) as res:
        res.read()
    return time.perf_counter() - started

lats, lock, stop = [], threading.Lock(), time.time() + seconds
def client(i):
    n = i
    mine = []
    while time.time() < stop:
        mine.append(post(bodies[n % len(bodies)]))
        n += clients
    with lock:
        lats.extend(mine)
start = time.time()
workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
for w in workers:
    w.start()
samples = []
while any(w.is_alive() for w in workers):
    time.sleep(10)
    samples.append((round(time.time() - start), rss()))
for w in workers:
    w.join()
took = time.time() - start
events = len(lats) * 100
print(f"   {events:,} events in {len(lats):,} envelopes over {took:.0f} s from {clients} clients: {events / took:,.0f} events/s")
print(f"   per envelope p50 {pct(lats, .5)*1000:.1f} ms, p99 {pct(lats, .99)*1000:.1f} ms, max {max(lats)*1000:.1f} ms")
print("   server RSS every 10 s: " + ", ".join(f"{t}s {m} MB" for t, m in samples))
groups = call("GET", "/integrations/stripe/error-groups")
print(f"   groups: {len(groups)} holding {sum(g['count'] for g in groups):,} events")

# At the budget's rate: envelope k is due at start + k / 50 s; eight senders take them in
# turn; each latency runs from when the envelope was due.
rate, senders = 50, 8
due_lats = []
start = time.perf_counter() + 0.5
def sender(i):
    mine, k = [], i
    while k < rate * paced_seconds:
        due = start + k / rate
        wait = due - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        post(bodies[k % len(bodies)])
        mine.append(time.perf_counter() - due)
        k += senders
    with lock:
        due_lats.extend(mine)
workers = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print(f"   at {rate * 100:,} events/s ({rate} envelopes/s) for {paced_seconds} s: {len(due_lats):,} envelopes, "
      f"p50 {pct(due_lats, .5)*1000:.1f} ms, p99 {pct(due_lats, .99)*1000:.1f} ms, max {max(due_lats)*1000:.1f} ms (from when each was due)")
print(f"   server RSS after: {rss()} MB")

big = event(rng, frames=5000)
big["exception"]["values"][0]["stacktrace"]["frames"] = [
    dict(f, context_line="x" * 80, vars={"n": str(i)}) for i, f in enumerate(big["exception"]["values"][0]["stacktrace"]["frames"])]
body = envelope([big])
print(f"   a deep event: {len(body):,} bytes, 5,000 frames")
one = [post(body, {k: v for k, v in headers.items() if k != "Content-Encoding"}) for _ in range(10)]
print(f"   posted ten times: median {pct(one, .5)*1000:.1f} ms, max {max(one)*1000:.1f} ms")
PY
echo "   server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
