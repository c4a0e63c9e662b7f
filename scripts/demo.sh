#!/usr/bin/env bash
# `make demo`: like `make run`, with the SayPro Classified demo portfolio loaded first.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build.sh
[ -f .env ] || cp .env.example .env
"$CARGO_TARGET_DIR/release/tollgate" demo seed
exec "$CARGO_TARGET_DIR/release/tollgate" serve
