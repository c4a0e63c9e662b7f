# Shared by the benchmarks; sourced after scripts/env.sh.

# The release server in $BIN (built if missing) and a fresh SQLite database in $WORK (made if
# unset) with an admin, bench@example.com, and a read-write token of theirs in $TOKEN.
bench_database() {
  BIN="$CARGO_TARGET_DIR/release/tollgate"
  [ -x "$BIN" ] || bash scripts/build.sh
  WORK="${WORK:-$(mktemp -d)}"
  export DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc" TOLLGATE_LOG=warn
  "$BIN" migrate >/dev/null
  echo "bench-password-long-enough" | "$BIN" user create --email bench@example.com --name Bench --role admin --password-stdin >/dev/null
  TOKEN="$("$BIN" token create --email bench@example.com --name bench --scope read-write | grep -o 'tg_[A-Za-z0-9_-]*')"
}

# Creates the integration named $1 (provider $1, payments) through the API at $API, owned by
# the token's user.
bench_integration() {
  local me
  me="$(curl -fs -H "Authorization: Bearer $TOKEN" "$API/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
    -d "{\"name\": \"$1\", \"provider\": \"$1\", \"category\": \"payments\", \"owner_id\": \"$me\", \"business_objective\": \"Benchmarks.\", \"priority\": \"high\"}" \
    "$API/integrations"
}
