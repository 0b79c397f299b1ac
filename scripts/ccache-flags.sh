#!/usr/bin/env bash
# Prints the CMake flag that compiles through ccache when it is installed (scripts/setup.sh
# installs it), and nothing otherwise. Paths under the repository are hashed relative to it,
# so two clones of the same commit share the cache.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if command -v ccache > /dev/null; then
  echo "-DCMAKE_CXX_COMPILER_LAUNCHER=/usr/bin/env;CCACHE_BASEDIR=$root;ccache"
fi
