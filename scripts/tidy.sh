#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) on the project's own sources, library and
# command line and the Python module's core, with every warning an error: any diagnostic in a
# file of src/, apps/, include/ or python/src/ fails.
#
# It works on a tree of its own, build-tidy, configured as a unity build: clang-tidy then
# parses each library's sources a batch at a time, as the compiler does, which takes a fifth
# of the time of one file at a time (most of it goes on OpenCV's and gRPC's headers). Its
# diagnostics still name the source file and line. Only the generated gRPC headers are built.
# The full clang-tidy output is kept in build-tidy/tidy.log.
#
#   scripts/tidy.sh                 every source of src/ and apps/
#   scripts/tidy.sh src/io apps     diagnostics in these folders (or files) only
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
paths=("$@")
((${#paths[@]} > 0)) || paths=(src apps include python/src)
jobs=$(nproc 2>/dev/null || echo 2)
command -v clang-tidy > /dev/null || bash scripts/setup.sh --dev > /dev/null
bash scripts/setup.sh > /dev/null

build=$root/build-tidy
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DMSRF_BUILD_TESTS=OFF -DMSRF_BUILD_BENCHMARKS=OFF \
  $(bash scripts/ccache-flags.sh) > "$build.configure.log" 2>&1 \
  || { cat "$build.configure.log"; exit 1; }
if grep -q 'msrf_remote_protocol' "$build/Makefile" 2> /dev/null; then
  cmake --build "$build" -j "$jobs" --target msrf_remote_protocol > /dev/null
fi

# The translation units of the libraries and the command line: each library's unity files
# and any source compiled alone.
mapfile -t units < <(sed -n 's/^ *"file": "\(.*\)",*$/\1/p' "$build/compile_commands.json" \
  | grep -E "^($build/(src|apps|python)/CMakeFiles/.*/Unity/unity_[0-9]+_cxx\.cxx|$root/(src|apps|python/src)/.*\.cpp)$" \
  | sort -u)
# Every tracked source must be in one of them.
missing=()
while read -r f; do
  grep -qsF "$root/$f" "${units[@]}" < /dev/null || [[ " ${units[*]} " == *" $root/$f "* ]] \
    || missing+=("$f")
done < <(git ls-files 'src/*.cpp' 'apps/*.cpp' 'python/src/*.cpp')
if ((${#missing[@]} > 0)); then
  echo "tidy: not in any translation unit of $build: ${missing[*]}"
  exit 1
fi

log=$build/tidy.log
rc=0
# Diagnostics in the project's headers and in the sources a unity file includes; the unity
# files themselves include .cpp files by design.
printf '%s\n' "${units[@]}" | xargs -P "$jobs" -n 1 clang-tidy -p "$build" --quiet \
  --header-filter='/(include/msrf|src|apps/msrf|python/src)/([^/]+/)*[^/]+\.(h|cpp)$' \
  --checks=-bugprone-suspicious-include --extra-arg=-Wno-unknown-warning-option \
  > "$log" 2>&1 || rc=$?

# Diagnostics located in the project's own files under the paths asked for.
prefixes=()
for p in "${paths[@]}"; do prefixes+=("$root/${p%/}"); done
mapfile -t found < <(grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$log" \
  | awk -v list="${prefixes[*]}" 'BEGIN { n = split(list, p, " ") }
      { for (i = 1; i <= n; ++i) if (index($0, p[i]) == 1) { print; next } }' \
  | sort -u | sort -t: -k1,1 -k2,2n -k3,3n || true)
if ((${#found[@]} > 0)); then
  printf '%s\n' "${found[@]:0:100}"
  echo "tidy: ${#found[@]} diagnostic(s) (first 100 above; full log: $log)"
  exit 1
fi
if ((rc != 0)) && grep -qE '^Error while processing|Segmentation fault|Aborted' "$log"; then
  # clang-tidy failed without a diagnostic in the project's files: a crash, or an error in
  # a header outside it.
  grep -E 'error|Error|terminated' "$log" | sort -u | head -100 || tail -50 "$log"
  echo "tidy: clang-tidy failed (full log: $log)"
  exit 1
fi
echo "tidy: ${#units[@]} translation units clean ($(git ls-files 'src/*.cpp' 'apps/*.cpp' 'python/src/*.cpp' \
  | wc -l) sources)"
