#!/usr/bin/env bash
# Configures and builds msrf (Release) into build/. Installs the Debian packages it needs
# first. Extra arguments go to the CMake configure step.
#
# A unity build (CMake compiles the sources of a library a batch at a time): a first build
# takes about half the time. For editing and rebuilding one file at a time,
# `bash scripts/build.sh -DCMAKE_UNITY_BUILD=OFF`.
#
# The build's Python module becomes importable by Debian's /usr/bin/python3 as `pip install -e`
# would make it: a file msrf.pth in that interpreter's folder for local packages
# (/usr/local/lib/python3.11/dist-packages) names build/python, so `import msrf` finds the
# module this build made. The last tree built wins; `cmake --install` installs a copy instead.
# Without the right to write there, the script says how to import it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh"
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON $(bash "$root/scripts/ccache-flags.sh") "$@" > "$root/build.configure.log" 2>&1 \
  || { cat "$root/build.configure.log"; exit 1; }
cmake --build "$root/build" -j "$jobs"

if [[ -d "$root/build/python/msrf" && -x /usr/bin/python3 ]]; then
  site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
  if mkdir -p "$site" 2> /dev/null && [[ -w "$site" ]]; then
    echo "$root/build/python" > "$site/msrf.pth"
  else
    echo "build: to import msrf from Python: export PYTHONPATH=$root/build/python"
  fi
fi
