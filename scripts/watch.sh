#!/usr/bin/env bash
# `make watch`: the dev loop. Installs what is missing, then `cargo leptos watch` builds the
# server and the WebAssembly in debug, serves on http://127.0.0.1:3000 (SQLite) and rebuilds
# and reloads on every save.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
bash scripts/setup.sh
[ -f .env ] || cp .env.example .env
exec cargo leptos watch
