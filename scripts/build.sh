#!/usr/bin/env bash
# Configures and builds msrf (Release) into build/. Installs the Debian packages it needs
# first. Extra arguments go to the CMake configure step.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release $(bash "$root/scripts/ccache-flags.sh") "$@" > "$root/build.configure.log" 2>&1 \
  || { cat "$root/build.configure.log"; exit 1; }
cmake --build "$root/build" -j "$jobs"
