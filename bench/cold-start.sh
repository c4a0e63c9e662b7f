#!/usr/bin/env bash
# Times `make test` on a cold machine, as far as one can be simulated here: a fresh clone, an
# empty cargo home (no registry cache, no cargo-leptos, wasm-bindgen-cli or wasm-opt), an empty
# target directory and an empty npm cache. The Rust toolchain, Chromium and PostgreSQL stay (they
# are system packages). Every line of output is stamped with the seconds since the start, so the
# phases (tool set-up, test builds, release build, browser tests) can be read off the log.
#
#   bash bench/cold-start.sh [log]        # default log: /tmp/tollgate-cold/cold.log
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COLD=/tmp/tollgate-cold
LOG="${1:-$COLD/cold.log}"
rm -rf "$COLD" && mkdir -p "$COLD/bin"
git clone -q "$ROOT" "$COLD/src"
# Only rustup's proxies from the real cargo home; everything cargo-installed must be rebuilt.
for tool in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  ln -s "$HOME/.cargo/bin/$tool" "$COLD/bin/$tool"
done
export CARGO_HOME="$COLD/cargo" CARGO_TARGET_DIR="$COLD/target" npm_config_cache="$COLD/npm"
export PATH="$COLD/cargo/bin:$COLD/bin:$(echo "$PATH" | tr ':' '\n' | grep -v '\.cargo/bin' | paste -sd:)"
start=$(date +%s)
cd "$COLD/src"
set +e
make test 2>&1 | while IFS= read -r line; do printf '[%5ds] %s\n' $(( $(date +%s) - start )) "$line"; done > "$LOG"
status=${PIPESTATUS[0]}
echo "make test exited $status after $(( $(date +%s) - start )) s" | tee -a "$LOG"
exit "$status"
