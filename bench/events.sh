#!/usr/bin/env bash
# The event-ingest budget (issue 7): at least 5,000 events per second in batches on SQLite.
# 50 batches of 1,000 events (20 kinds of error, ids and numbers varying) are posted one after
# another to the release server on a fresh SQLite database; figures to standard output.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

source bench/lib.sh
bench_database
PORT="${BENCH_PORT:-3391}"
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_API_RATE_LIMIT=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
API="http://127.0.0.1:$PORT/api/v1"
bench_integration Stripe
python3 - "$WORK" <<'PY'
import json, random, sys
random.seed(7)
for b in range(50):
    events = [{
        "level": random.choice(["error", "warning"]),
        "message": f"charge ch_{random.randrange(10**9)} failed after {random.randrange(100, 30000)} ms (kind {k})",
        "error_type": f"Error{k}", "operation": "POST /v1/charges", "http_status": 502,
        "latency_ms": random.randrange(1, 30000), "environment": "production",
        "context": {"listing": random.randrange(10**6)},
    } for k in (random.randrange(20) for _ in range(1000))]
    open(f"{sys.argv[1]}/batch{b}.json", "w").write(json.dumps(events))
PY
START=$(date +%s.%N)
for b in $(seq 0 49); do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    --data-binary "@$WORK/batch$b.json" "$API/integrations/stripe/events"
done
END=$(date +%s.%N)
python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'   50,000 events in 50 batches: {s:.2f} s, {50000/s:,.0f} events/s')" "$START" "$END"
echo "   groups: $(curl -fs -H "Authorization: Bearer $TOKEN" "$API/integrations/stripe/error-groups" | python3 -c 'import json,sys; g=json.load(sys.stdin); print(len(g), "holding", sum(x["count"] for x in g), "events")')"
echo "   server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
