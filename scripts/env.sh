# Shared by the scripts: where builds go and what is on PATH. Sourced, not run.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tollgate-target}"
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# rust-toolchain.toml pins the Rust that Cargo.toml declares (rust-version). rustup downloads it
# where it can; on an offline machine whose stable toolchain is that very version, link stable
# under the pinned name instead, so that no command tries to download it.
pin_toolchain() {
  command -v rustup >/dev/null || return 0
  local want home stable
  want="$(sed -n 's/^channel = "\(.*\)"$/\1/p' "$ROOT/rust-toolchain.toml")"
  home="${RUSTUP_HOME:-$HOME/.rustup}"
  compgen -G "$home/toolchains/$want-*" >/dev/null && return 0
  stable="$(cd "$home/toolchains" && ls -d stable-* 2>/dev/null | head -n 1)"
  [ -n "$stable" ] || return 0
  if "$home/toolchains/$stable/bin/rustc" --version | grep -q "^rustc $want "; then
    ln -s "$stable" "$home/toolchains/$want-${stable#stable-}"
  fi
}
pin_toolchain

# The target dir is shared by every clone on this machine, and each clone path hashes its own
# artifacts, so it grows without bound (75 GB once, and a CI run died with ENOSPC). When the disk
# runs low, drop what is cheap to rebuild: incremental caches first, then the debug builds.
tidy_target() {
  local free_gb
  free_gb=$(( $(df -Pk "$HOME" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
  (( free_gb >= 30 )) && return 0
  echo "==> only ${free_gb} GB free: removing incremental caches under $CARGO_TARGET_DIR"
  rm -rf "$CARGO_TARGET_DIR"/debug/incremental "$CARGO_TARGET_DIR"/release/incremental
  free_gb=$(( $(df -Pk "$HOME" | awk 'NR==2 {print $4}') / 1024 / 1024 ))
  if (( free_gb < 15 )); then
    echo "==> still only ${free_gb} GB free: removing the debug builds"
    rm -rf "$CARGO_TARGET_DIR"/debug
  fi
}

# A Python tool from PyPI in its own virtualenv under the target dir, installed on first use
# and again when the pinned packages (one or more, space-separated) change:
#   VENV="$(python_tool sqlmap-venv sqlmap sqlmap==1.10.10)"
python_tool() {
  local venv="$CARGO_TARGET_DIR/$1"
  if [ ! -x "$venv/bin/$2" ] || [ "$(cat "$venv/.pinned" 2>/dev/null)" != "$3" ]; then
    echo "==> installing $3" >&2
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # one or more packages
    "$venv/bin/pip" install -q $3 >&2
    echo "$3" > "$venv/.pinned"
  fi
  echo "$venv"
}

# The tollgate binary to run: $TOLLGATE_BIN if set (one already built, say while another build
# holds the target dir), else the debug build, built now.
tollgate_bin() {
  if [ -n "${TOLLGATE_BIN:-}" ]; then
    echo "$TOLLGATE_BIN"
  else
    cargo build -q -p tollgate >&2
    echo "$CARGO_TARGET_DIR/debug/tollgate"
  fi
}

# Waits until something listens on 127.0.0.1:$1, for at most $2 tenths of a second (default
# 100); fails if nothing does.
wait_for_port() {
  local i
  for i in $(seq 1 "${2:-100}"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Waits until $1/healthz answers, for at most a minute; fails if it does not.
wait_for_health() {
  local i
  for i in $(seq 1 120); do
    curl -fs "$1/healthz" >/dev/null && return 0
    sleep 0.5
  done
  return 1
}
