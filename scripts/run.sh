#!/usr/bin/env bash
# `make run`: install what is missing, build, migrate and serve on SQLite.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
[ -f .env ] || cp .env.example .env
exec "$CARGO_TARGET_DIR/release/tollgate" serve
