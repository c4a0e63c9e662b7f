#!/usr/bin/env bash
# Installs the test extras idempotently: leptosfmt, Chromium, the Playwright packages, and a
# running local PostgreSQL with a test role and database. Fails (never skips) when PostgreSQL
# cannot start.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

# The formatter of view! blocks (rustfmt leaves macros alone); make test checks with it.
if ! leptosfmt --version 2>/dev/null | grep -q ' 0\.1\.33$'; then
  echo "==> installing leptosfmt 0.1.33 (a few minutes cold)"
  cargo install leptosfmt --version 0.1.33 --locked
fi

if ! command -v chromium >/dev/null; then
  echo "==> installing Chromium"
  $SUDO apt-get update -qq && $SUDO apt-get install -y chromium
fi

if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  echo "==> installing Playwright packages"
  (cd end2end && npm ci --no-audit --no-fund)
fi

if ! command -v pg_lsclusters >/dev/null; then
  echo "==> installing PostgreSQL"
  $SUDO apt-get update -qq && $SUDO apt-get install -y postgresql
fi
read -r PG_VERSION PG_CLUSTER _ PG_STATUS _ < <(pg_lsclusters --no-header | head -1)
if [ "$PG_STATUS" != "online" ]; then
  echo "==> starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
  # A generous timeout: after an unclean stop, recovery fsyncs the whole data directory.
  $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start -- -t 600
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -h 127.0.0.1 || { echo "PostgreSQL did not start" >&2; exit 1; }

psql_admin() { $SUDO -u postgres psql -v ON_ERROR_STOP=1 -tAc "$1" 2>/dev/null || su postgres -c "psql -v ON_ERROR_STOP=1 -tAc \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='tollgate'")" != "1" ]; then
  psql_admin "CREATE ROLE tollgate LOGIN CREATEDB PASSWORD 'tollgate'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='tollgate_test'")" != "1" ]; then
  psql_admin "CREATE DATABASE tollgate_test OWNER tollgate"
fi
bash scripts/pg-clean.sh
echo "PostgreSQL ready: postgres://tollgate:***@127.0.0.1:5432/tollgate_test"
