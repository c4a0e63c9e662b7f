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
fi
exec "$CARGO_TARGET_DIR/release/tollgate" serve
