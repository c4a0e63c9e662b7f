#!/usr/bin/env bash
# The specs budget (issue 8): read and index Stripe's 2022 document (JSON, 4.2 MB, 417
# operations) in under 1 s, diff it against Stripe's 2023 document (YAML) in under 300 ms,
# under 200 MB of memory; and, in the same run on the same pair, the same work by
# api-smart-diff (npm), for the ratio. Three runs of each; figures to standard output.
# Then a 30-level chain of references, two per level (issue 29: under 100 ms, one change).
# Then the whole import as the REST API does it (parse, index, compress, store the version
# and its operations, and for the second version compare with the first and check the used
# operations), against the release server on a fresh SQLite database.
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

BIN="$CARGO_TARGET_DIR/release/tollgate"
[ -x "$BIN" ] || cargo build --release -p tollgate --bin tollgate
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
for f in stripe-spec3-2022-04-12.json stripe-spec3-2023-09-12.yaml; do
  gunzip -c "app/tests/fixtures/specs/$f.gz" > "$WORK/$f"
done
BASE="$WORK/stripe-spec3-2022-04-12.json"
REV="$WORK/stripe-spec3-2023-09-12.yaml"

(cd bench/specs-peer && npm install --no-audit --no-fund --silent >/dev/null)

echo "== Tollgate ($BIN spec diff --timings)"
for i in 1 2 3; do
  /usr/bin/time -f "   wall %e s, max RSS %M KB" "$BIN" spec diff "$BASE" "$REV" --format json --timings > "$WORK/tollgate.json"
done
echo "   changes: $(grep -c '"id":' "$WORK/tollgate.json")"
echo "== a 30-level chain where each level refers to the next twice, the type at the bottom changed (issue 29: < 100 ms)"
for bottom in integer string; do
  python3 - "$bottom" > "$WORK/chain-$bottom.yaml" <<'PY'
import sys
levels, bottom = 30, sys.argv[1]
print("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /deep:\n    get:\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/L0'}}}\ncomponents:\n  schemas:")
for k in range(levels):
    print(f"    L{k}: {{type: object, properties: {{a: {{$ref: '#/components/schemas/L{k+1}'}}, b: {{$ref: '#/components/schemas/L{k+1}'}}}}}}")
print(f"    L{levels}: {{type: object, properties: {{amount: {{type: {bottom}}}}}}}")
PY
done
for i in 1 2 3; do
  /usr/bin/time -f "   wall %e s, max RSS %M KB" "$BIN" spec diff "$WORK/chain-integer.yaml" "$WORK/chain-string.yaml" --format json > "$WORK/chain.json" || true
done
echo "   changes: $(grep -c '"id":' "$WORK/chain.json") (one expected)"

echo "== api-smart-diff $(node -p 'require("./bench/specs-peer/node_modules/api-smart-diff/package.json").version') (node $(node --version))"
for i in 1 2 3; do
  /usr/bin/time -f "   wall %e s, max RSS %M KB" node bench/specs-peer/diff.mjs "$BASE" "$REV"
done

echo "== full import over REST (release server, SQLite)"
PORT="${BENCH_PORT:-3390}"
source bench/lib.sh
bench_database
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_API_RATE_LIMIT=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
API="http://127.0.0.1:$PORT/api/v1"
bench_integration Stripe
for doc in "$BASE" "$REV"; do
  curl -fs -o "$WORK/imported.json" -w "   $(basename "$doc"): HTTP %{http_code}, %{time_total} s\n" \
    -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/octet-stream" \
    --data-binary "@$doc" "$API/integrations/stripe/specs?name=Stripe%20API"
  echo "     $(cat "$WORK/imported.json")"
done
echo "   server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
