#!/usr/bin/env bash
# `make run`: install what is missing, build, migrate and serve on SQLite. With TOLLGATE_DEMO=1
# (`make demo`) the demo portfolio is loaded first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
[ -f .env ] || cp .env.example .env
if [ "${TOLLGATE_DEMO:-0}" = 1 ]; then
  "$CARGO_TARGET_DIR/release/tollgate" demo seed
  # The demo's environments point at a provider simulator this server also serves, so its
  # probes are live and stay on this machine (PUT http://127.0.0.1:4010/mode failing).
  export TOLLGATE_DEMO_SIMULATOR=127.0.0.1:4010
  export TOLLGATE_OUTBOUND_ALLOW="${TOLLGATE_OUTBOUND_ALLOW:+$TOLLGATE_OUTBOUND_ALLOW,}127.0.0.1"
fi
exec "$CARGO_TARGET_DIR/release/tollgate" serve
