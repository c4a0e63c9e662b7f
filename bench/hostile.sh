#!/usr/bin/env bash
# Hostile input against the release server (issue 26): each input must be answered with a 4xx
# quickly and with bounded memory. For each: the status, the time to answer, and the server's
# resident memory (VmRSS) after it and its peak so far (VmHWM). The baseline is the server
# after start and one ordinary request. Figures to standard output.
#   bash bench/hostile.sh            # builds the release server if it is missing
set -euo pipefail
source "$(dirname "$0")/../scripts/env.sh"
cd "$ROOT"

source bench/lib.sh
bench_database
trap 'rm -rf "$WORK"' EXIT
PORT="${BENCH_PORT:-3391}"
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_API_RATE_LIMIT=0 "$BIN" serve > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
wait_for_health "http://127.0.0.1:$PORT"
BASE="http://127.0.0.1:$PORT"
API="$BASE/api/v1"
bench_integration Orders

python3 - "$WORK" <<'PY'
import sys, os
w = sys.argv[1]
open(f"{w}/deep.json", "w").write("[" * 10000 + "]" * 10000)
open(f"{w}/wide.json", "w").write('{"name": [' + ",".join(["0"] * 250000) + "]}")
lines = ['openapi: 3.0.0', 'a: &a ["x","x","x","x","x","x","x","x","x"]']
prev = "a"
for i in range(1, 10):
    n = f"a{i}"
    lines.append(f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]")
    prev = n
open(f"{w}/bomb.yaml", "w").write("\n".join(lines) + "\n")
open(f"{w}/deep.yaml", "w").write("openapi: 3.0.0\npaths: " + "[" * 10000 + "]" * 10000 + "\n")
with open(f"{w}/big.yaml", "wb") as f:
    f.write(b"openapi: 3.0.0\ninfo: {title: big, version: '1'}\nx-pad: |\n")
    line = b"  " + b"x" * 98 + b"\n"
    for _ in range(1024 * 1024):
        f.write(line)
open(f"{w}/form.txt", "w").write("email=a%40b.example&password=" + "x" * (3 * 1024 * 1024))
PY

memory() { awk '/VmRSS|VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$SERVER/status"; }
curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" "$API/integrations"
echo "== baseline after start and one list request: $(memory)"
# send LABEL URL CONTENT-TYPE FILE [extra curl options]
send() {
  local label="$1" url="$2" type="$3" file="$4"
  shift 4
  local out
  out="$(curl -s -o "$WORK/answer" -w '%{http_code} %{time_total}' -H "Authorization: Bearer $TOKEN" \
    -H "Origin: $BASE" -H "Content-Type: $type" "$@" --data-binary "@$file" "$url" || true)"
  printf '%-44s HTTP %s s   %s\n' "$label ($(du -h "$file" | cut -f1))" "$out" "$(memory)"
  printf '    %s\n' "$(head -c 160 "$WORK/answer" | tr '\n' ' ')"
}
send "10,000-level JSON body" "$API/integrations" application/json "$WORK/deep.json"
send "250,000-value JSON body" "$API/integrations" application/json "$WORK/wide.json"
send "YAML alias bomb (9^10 nodes)" "$API/integrations/orders/specs?name=orders" application/yaml "$WORK/bomb.yaml"
send "10,000-level YAML spec" "$API/integrations/orders/specs?name=orders" application/yaml "$WORK/deep.yaml"
send "100 MB spec, length declared" "$API/integrations/orders/specs?name=orders" application/yaml "$WORK/big.yaml"
send "100 MB spec, chunked (no length)" "$API/integrations/orders/specs?name=orders" application/yaml "$WORK/big.yaml" -H "Transfer-Encoding: chunked"
send "3 MB sign-in form" "$BASE/api/login" application/x-www-form-urlencoded "$WORK/form.txt"
send "3 MB sign-in form, chunked (no length)" "$BASE/api/login" application/x-www-form-urlencoded "$WORK/form.txt" -H "Transfer-Encoding: chunked"
curl -fs -o /dev/null -w "== an ordinary request after all that: HTTP %{http_code} %{time_total} s\n" -H "Authorization: Bearer $TOKEN" "$API/integrations"
echo "== after: $(memory)"
echo "   versions stored: $(curl -fs -H "Authorization: Bearer $TOKEN" "$API/integrations/orders/specs" | head -c 200)"
