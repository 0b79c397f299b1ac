#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) on the project's own sources, library and
# command line, with every warning an error: any diagnostic in a file of src/, apps/ or
# include/ fails. Needs a built tree for its compile_commands.json and the generated protocol
# headers: build/ (made with scripts/build.sh when missing) or the folder given as $1. The
# full clang-tidy output is kept in <build>/tidy.log.
#
#   scripts/tidy.sh                 every .cpp of src/ and apps/
#   scripts/tidy.sh build src/io    one folder (or files)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${1:-build}
shift || true
paths=("$@")
((${#paths[@]} > 0)) || paths=(src apps)
command -v run-clang-tidy > /dev/null || bash scripts/setup.sh --dev > /dev/null
if [[ ! -f "$build/compile_commands.json" ]]; then
  if [[ "$build" == build ]]; then
    bash scripts/build.sh -DCMAKE_EXPORT_COMPILE_COMMANDS=ON > /dev/null
  else
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
      $(bash scripts/ccache-flags.sh) > /dev/null
    cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" > /dev/null
  fi
fi
build=$(cd "$build" && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# The tracked sources under the paths that the build compiles (apps/msrf/cmd_node.cpp is not
# in a build without gRPC).
mapfile -t tracked < <(git ls-files -- "${paths[@]}" | grep -E '^(src|apps)/.*\.(cpp|cc)$' || true)
files=()
for f in "${tracked[@]}"; do
  if grep -qF "\"file\": \"$root/$f\"" "$build/compile_commands.json"; then files+=("$f"); fi
done
if ((${#files[@]} == 0)); then
  echo "tidy: no source of src/ or apps/ under ${paths[*]} is in $build/compile_commands.json"
  exit 1
fi

# run-clang-tidy takes regexes: anchor each file, its dots escaped.
regexes=()
for f in "${files[@]}"; do regexes+=("^${root//./\\.}/${f//./\\.}\$"); done
log=$build/tidy.log
rc=0
run-clang-tidy -quiet -p "$build" -j "$jobs" "${regexes[@]}" > "$log.raw" 2>&1 || rc=$?
# run-clang-tidy always asks for colour; the log is for reading and grepping.
sed -E 's/\x1b\[[0-9;]*m//g' "$log.raw" > "$log"
rm -f "$log.raw"

# Diagnostics located in the project's own files (headers of include/ and src/ included).
mapfile -t found < <(grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$log" \
  | awk -v root="$root/" 'index($0, root "src/") == 1 || index($0, root "apps/") == 1 ||
                          index($0, root "include/") == 1' \
  | sort -u | sort -t: -k1,1 -k2,2n -k3,3n || true)
if ((${#found[@]} > 0)); then
  printf '%s\n' "${found[@]:0:100}"
  echo "tidy: ${#found[@]} diagnostic(s) in ${#files[@]} files (first 100 above; full log: $log)"
  exit 1
fi
if ((rc != 0)); then
  # clang-tidy failed without a diagnostic in the project's files: a crash, or an error in
  # a header outside it.
  grep -E 'error|Error|terminated' "$log" | sort -u | head -100 || tail -50 "$log"
  echo "tidy: clang-tidy failed (full log: $log)"
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
