#!/usr/bin/env bash
# Builds msrf and runs the whole test suite. Tests that need the ETHZ dev data
# (../shared/datasets/ethz-dev, or $MSRF_ETHZ_DIR) skip with a message when it is absent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/build.sh"
ctest --test-dir "$root/build" --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"
