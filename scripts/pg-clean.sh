#!/usr/bin/env bash
# Drops the throwaway databases the test suites create (one per PostgreSQL test, one per
# schemathesis run). Run before and after the suites, so the cluster never grows from run to
# run: a cluster with a thousand leftover databases takes minutes to recover after a crash.
set -euo pipefail
PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
# An autovacuum worker on a leftover database cannot be ended by its owner, so FORCE fails
# while it runs: try again a few times before giving up.
for attempt in 1 2 3 4 5; do
  if psql "$PG_URL" -qAt -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname)
  FROM pg_database
 WHERE datname ~ '^tollgate_(test|svc|schemathesis)_'
\gexec
SQL
  then
    exit 0
  fi
  echo "pg-clean: attempt $attempt failed; trying again" >&2
  sleep 2
done
exit 1
