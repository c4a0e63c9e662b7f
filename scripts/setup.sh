#!/usr/bin/env bash
# Installs the build tools `make run` needs, idempotently: each step is skipped when its tool
# is already there at the right version. See docs/TOOLCHAIN.md for why each is pinned.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  step "installing cargo-leptos 0.3.10 (0.3.11 and newer need rustc 1.96+; ~13 minutes cold)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WBG_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  step "installing wasm-bindgen-cli $WBG_VERSION"
  # Not --locked: the registry mirror can lag a patch release behind the lock file.
  cargo install wasm-bindgen-cli --version "$WBG_VERSION"
fi

# Binaryen from crates.io (116). Debian's binaryen 108 produces WebAssembly that breaks hydration.
if ! command -v wasm-opt >/dev/null || ! [ -x "$CARGO_HOME/bin/wasm-opt" ]; then
  step "installing wasm-opt"
  cargo install wasm-opt --locked
fi

if ! command -v sass >/dev/null; then
  step "installing sass"
  npm install -g sass
fi

if ! command -v brotli >/dev/null || ! command -v gzip >/dev/null; then
  step "installing brotli (for precompressed assets)"
  if [ "$(id -u)" = 0 ]; then apt-get install -y brotli; else sudo apt-get install -y brotli; fi
fi
