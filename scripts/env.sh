# Shared by the scripts: where builds go and what is on PATH. Sourced, not run.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tollgate-target}"
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export PATH="$CARGO_HOME/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

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
