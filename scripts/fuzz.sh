#!/usr/bin/env bash
# Runs every fuzz target (app/tests/fuzz.rs, bolero) for SECONDS each (default 30, the CI
# smoke) and prints the executions of each. A finding fails with the input and the seed
# (BOLERO_RANDOM_SEED=...) that reproduce it.
#   bash scripts/fuzz.sh 600                  # ten minutes per target
#   FUZZ_RELEASE=1 bash scripts/fuzz.sh 600   # optimised: many more executions, a longer build
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
SECONDS_EACH="${1:-30}"
# One target at a time, so each has the machine and its budget is its own.
PROFILE=()
[ -n "${FUZZ_RELEASE:-}" ] && PROFILE=(--release)
TOLLGATE_FUZZ_SECONDS="$SECONDS_EACH" cargo test -p app --features ssr "${PROFILE[@]}" --test fuzz -- \
  --test-threads 1 --nocapture 2>&1 | grep -E "fuzz [a-z ]*:|panicked|FAILED|test result"
