#!/usr/bin/env bash
# The crash test: writers create integrations through the REST API, the server is killed with
# SIGKILL in the middle of the load and started again; every write that was answered 2xx must
# be there, and `tollgate audit verify` must pass. DATABASE_URL picks the backend (default: a
# fresh SQLite file). Prints the writes acknowledged and found.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
PORT="${CRASH_PORT:-3320}"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/crash.db?mode=rwc}"
export TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0
export TOLLGATE_MONITOR=false TOLLGATE_TRAIL_CHECKPOINT_EVERY=5
export TOLLGATE_TRAIL_KEY_FILE="$WORK/trail-key" TOLLGATE_TRAIL_CHECKPOINTS="$WORK/checkpoints"
SERVER=""
trap '[ -n "$SERVER" ] && { kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; }; rm -rf "$WORK"' EXIT

"$BIN" user create --email crash@example.com --name Crash --role admin >/dev/null
TOKEN="$("$BIN" token create --email crash@example.com --name crash --scope read-write)"

start() {
  "$BIN" >>"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_for_port "$PORT" && return 0
  echo "the server did not start"; tail -20 "$WORK/server.log"; exit 1
}

start
# Writers run until the server dies under them; the kill lands mid-load.
python3 - "$PORT" "$TOKEN" "$WORK/acked" <<'PY' &
import json, sys, threading, urllib.request, urllib.error, time
port, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
me = json.load(urllib.request.urlopen(urllib.request.Request(
    f"http://127.0.0.1:{port}/api/v1/me", headers={"Authorization": f"Bearer {token}"})))
acked, lock = [], threading.Lock()
def writer(w):
    n, failures = 0, 0
    while failures < 20:
        n += 1
        body = json.dumps({"name": f"Crash {w}-{n}", "provider": "Acme", "category": "payments",
                           "owner_id": str(me["id"]), "business_objective": "Survive a crash.",
                           "priority": "high"}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/integrations", data=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as res:
                slug = json.load(res)["slug"]
                with lock:
                    acked.append(slug)
        except (urllib.error.URLError, ConnectionError, OSError):
            failures += 1
            time.sleep(0.05)
threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
for t in threads: t.start()
for t in threads: t.join()
with open(out, "w") as f:
    f.write("\n".join(acked))
PY
WRITERS=$!
sleep "${CRASH_AFTER:-4}"
kill -9 "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""
wait "$WRITERS"

start
python3 - "$PORT" "$TOKEN" "$WORK/acked" <<'PY'
import sys, urllib.request, urllib.error
port, token, path = sys.argv[1], sys.argv[2], sys.argv[3]
acked = [s for s in open(path).read().split("\n") if s]
missing = []
for slug in acked:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/integrations/{slug}",
                                 headers={"Authorization": f"Bearer {token}"})
    try:
        urllib.request.urlopen(req, timeout=10).read()
    except urllib.error.HTTPError as e:
        missing.append((slug, e.code))
print(f"crash test: {len(acked)} writes acknowledged before SIGKILL, {len(acked) - len(missing)} found after restart")
if len(acked) < 10:
    sys.exit("too few writes were acknowledged to test anything")
if missing:
    sys.exit(f"acknowledged writes lost: {missing[:10]}")
PY
kill "$SERVER"
wait "$SERVER" 2>/dev/null || true
SERVER=""
"$BIN" audit verify
