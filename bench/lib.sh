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

# wrk's "RPS P99" (p99 in ms) from its report in $1; fails on any failed response.
figures() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if errors:
    sys.exit(f"wrk saw {errors.group(1)} failed responses:\n{text}")
print(f"{rps:.0f} {p99:.1f}")
PY
}

# A fresh database for backend $1 (sqlite or postgres), the PostgreSQL one named $2 on $PG_URL
# (dropped first if left over): exports DATABASE_URL, migrated; sets PGDB to the PostgreSQL
# database's name (empty for SQLite), for the caller to drop.
bench_fresh_database() {
  if [ "$1" = sqlite ]; then
    rm -f "$WORK"/bench.db*
    PGDB=""
    export DATABASE_URL="sqlite://$WORK/bench.db?mode=rwc"
  else
    PGDB="$2"
    psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null
    psql "$PG_URL" -qc "CREATE DATABASE $PGDB" >/dev/null
    export DATABASE_URL="${PG_URL%/*}/$PGDB"
  fi
  export TOLLGATE_LOG=warn
  "${CLI:-$BIN}" migrate >/dev/null
}

# Signs in reader1@example.com .. reader$2@example.com (password bench-password-long-enough)
# at $1, each with a session of their own, one "tollgate_session=..." line each in
# $WORK/cookies (for readers.lua and search.lua).
bench_sign_in_readers() {
  : > "$WORK/cookies"
  for r in $(seq 1 "$2"); do
    bench_cookie "$1" "reader$r@example.com" >> "$WORK/cookies"
  done
}

# Signs $2 (password bench-password-long-enough) in at $1: prints its "tollgate_session=..."
# cookie.
bench_cookie() {
  rm -f "$WORK/jar"
  curl -fs -c "$WORK/jar" -o /dev/null -H "Origin: $1" -d "email=$2&password=bench-password-long-enough" "$1/api/login"
  echo "tollgate_session=$(awk '$6 == "tollgate_session" {print $7}' "$WORK/jar")"
}
