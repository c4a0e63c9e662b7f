#!/usr/bin/env bash
# Every test layer, in order of speed. Nothing is skipped: a missing PostgreSQL fails the run.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
# One-shot builds gain nothing from incremental caches, which are most of the target dir's size.
export CARGO_INCREMENTAL=0
tidy_target

echo "==> no two files or rooms of app/src import each other in a circle; the README's room graph is true"
python3 scripts/rooms.py

bash scripts/setup.sh
bash scripts/test-setup.sh

echo "==> formatting: rustfmt, and leptosfmt over the view! blocks (leptosfmt.toml)"
cargo fmt --all -- --check
leptosfmt --quiet --check app/src

PG_URL="${TEST_DATABASE_URL:-postgres://tollgate:tollgate@127.0.0.1:5432/tollgate_test}"
# Every PostgreSQL test makes its own database; drop them all when the run ends, pass or fail.
trap 'TEST_DATABASE_URL="$PG_URL" bash scripts/pg-clean.sh || true' EXIT

echo "==> unit and service tests (in-memory SQLite)"
cargo test -p app --features ssr

echo "==> service tests on PostgreSQL"
TEST_DATABASE_URL="$PG_URL" cargo test -p app --features ssr --test it

echo "==> HTTP tests on SQLite (and the CLI: audit verify, user create)"
cargo test -p tollgate

echo "==> HTTP tests on PostgreSQL"
TEST_DATABASE_URL="$PG_URL" cargo test -p tollgate --test api --test burst

echo "==> fuzz smoke: every target for 30 s"
bash scripts/fuzz.sh 30

echo "==> crash test: SIGKILL under write load, on SQLite, then on PostgreSQL"
bash scripts/crash.sh
CRASH_DB="tollgate_crash_$$"
psql "$PG_URL" -qc "CREATE DATABASE $CRASH_DB"
DATABASE_URL="${PG_URL%/*}/$CRASH_DB" bash scripts/crash.sh
psql "$PG_URL" -qc "DROP DATABASE $CRASH_DB"

echo "==> schemathesis against the live API on SQLite, then on PostgreSQL"
bash scripts/schemathesis.sh
ST_DB="tollgate_schemathesis_$$"
psql "$PG_URL" -qc "CREATE DATABASE $ST_DB"
DATABASE_URL="${PG_URL%/*}/$ST_DB" bash scripts/schemathesis.sh
psql "$PG_URL" -qc "DROP DATABASE $ST_DB"

echo "==> webhooks verified by the standardwebhooks library, a SIGKILL mid-delivery, two replicas (PostgreSQL)"
bash scripts/webhooks.sh
HOOKS_DB="tollgate_webhooks_$$"
psql "$PG_URL" -qc "CREATE DATABASE $HOOKS_DB"
DATABASE_URL="${PG_URL%/*}/$HOOKS_DB" bash scripts/webhooks.sh
psql "$PG_URL" -qc "DROP DATABASE $HOOKS_DB"

echo "==> email through a real SMTP server (aiosmtpd): recipients, both parts, one-click unsubscribe"
bash scripts/mail.sh
MAIL_DB="tollgate_mail_$$"
psql "$PG_URL" -qc "CREATE DATABASE $MAIL_DB"
DATABASE_URL="${PG_URL%/*}/$MAIL_DB" bash scripts/mail.sh
psql "$PG_URL" -qc "DROP DATABASE $MAIL_DB"

echo "==> the Sentry-compatible ingest as the real SDKs use it (sentry-sdk for Python, @sentry/node)"
bash scripts/sentry.sh
SENTRY_DB="tollgate_sentry_$$"
psql "$PG_URL" -qc "CREATE DATABASE $SENTRY_DB"
DATABASE_URL="${PG_URL%/*}/$SENTRY_DB" bash scripts/sentry.sh
psql "$PG_URL" -qc "DROP DATABASE $SENTRY_DB"

echo "==> release build"
bash scripts/build.sh

echo "==> two server processes on one PostgreSQL database: each health check runs once"
TEST_DATABASE_URL="$PG_URL" bash scripts/replicas.sh

echo "==> browser tests (Chromium + axe)"
bash scripts/e2e.sh
