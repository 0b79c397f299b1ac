#!/usr/bin/env bash
# Configures and builds msrf (Release) into build/. Installs the Debian packages it needs
# first. Extra arguments go to the CMake configure step.
#
# A unity build (CMake compiles the sources of a library a batch at a time): a first build
# takes about half the time. For editing and rebuilding one file at a time,
# `bash scripts/build.sh -DCMAKE_UNITY_BUILD=OFF`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON $(bash "$root/scripts/ccache-flags.sh") "$@" > "$root/build.configure.log" 2>&1 \
  || { cat "$root/build.configure.log"; exit 1; }
cmake --build "$root/build" -j "$jobs"
