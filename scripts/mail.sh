#!/usr/bin/env bash
# Email as a real SMTP server gets it: aiosmtpd (from PyPI, installed here on first use)
# requires authentication and keeps every message; a Tollgate configured with
# TOLLGATE_SMTP_URL and TOLLGATE_MAIL_FROM emails an opened incident to the people whose
# roles' defaults (or choices) ask for it, and the check reads each message with Python's
# email parser: recipients, sender, subject, the plain-text and HTML parts, the link back,
# List-Unsubscribe with its one-click POST, which then stops that reader's email of that
# kind. DATABASE_URL picks the backend (default: SQLite).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

VENV="$(python_tool mail-venv aiosmtpd aiosmtpd==1.4.6)"
BIN="$(tollgate_bin)"
WORK="$(mktemp -d)"
PORT="${MAIL_PORT:-3340}"
SMTP="$((PORT + 1))"
export DATABASE_URL="${DATABASE_URL:-sqlite://$WORK/mail.db?mode=rwc}"
export TOLLGATE_LOG=warn TOLLGATE_API_RATE_LIMIT=0 TOLLGATE_MONITOR=false TOLLGATE_WEBHOOKS=false
export TOLLGATE_TRAIL_KEY_FILE="$WORK/trail-key" TOLLGATE_TRAIL_CHECKPOINTS="$WORK/checkpoints"
PIDS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true
  wait "${PIDS[@]}" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/mail"
"$VENV/bin/python" scripts/mail_check.py serve "$SMTP" "$WORK/mail" tollgate 's3cret:/?' &
PIDS+=($!)
wait_for_port "$SMTP" || { echo "the SMTP server did not start"; exit 1; }

ADMIN_PASSWORD="mail-check-admin-password"
echo "$ADMIN_PASSWORD" | "$BIN" user create --email admin@example.com --name Ada --role admin --password-stdin >/dev/null
"$BIN" user create --email sam@example.com --name Sam --role stakeholder >/dev/null
"$BIN" user create --email eve@example.com --name Eve --role engineer >/dev/null
TOKEN="$("$BIN" token create --email admin@example.com --name mail --scope read-write)"

# The password's special characters percent-encoded, as a URL needs them.
TOLLGATE_LISTEN="127.0.0.1:$PORT" TOLLGATE_PUBLIC_URL="http://127.0.0.1:$PORT" \
  TOLLGATE_SMTP_URL="smtp://tollgate:s3cret%3A%2F%3F@127.0.0.1:$SMTP?tls=none" \
  TOLLGATE_MAIL_FROM="Tollgate <tollgate@example.com>" \
  "$BIN" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
wait_for_health "http://127.0.0.1:$PORT" || { echo "the server did not start"; tail -20 "$WORK/server.log"; exit 1; }

"$VENV/bin/python" scripts/mail_check.py check "http://127.0.0.1:$PORT" "$TOKEN" \
  admin@example.com "$ADMIN_PASSWORD" "$WORK/mail" || { tail -20 "$WORK/server.log"; exit 1; }
