#!/usr/bin/env bash
# Release build of the server and the WebAssembly, then precompresses the static assets so the
# server can answer Accept-Encoding with ready .br and .gz files.
set -euo pipefail
source "$(dirname "$0")/env.sh"
tidy_target
cd "$ROOT"
cargo leptos build --release
SITE="$ROOT/target/site"
find "$SITE" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \) | while read -r f; do
  if [ ! -f "$f.gz" ] || [ "$f" -nt "$f.gz" ]; then gzip -9 -k -f "$f"; fi
  if [ ! -f "$f.br" ] || [ "$f" -nt "$f.br" ]; then brotli -q 11 -k -f "$f"; fi
done
