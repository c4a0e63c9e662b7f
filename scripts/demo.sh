#!/usr/bin/env bash
# `make demo`: like `make run`, with the SayPro Classified demo portfolio loaded first.
set -euo pipefail
TOLLGATE_DEMO=1 exec bash "$(dirname "$0")/run.sh"
