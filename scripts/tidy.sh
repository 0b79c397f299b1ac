#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) on the project's own sources, library and
# command line, with every warning an error. Needs a configured build tree for its
# compile_commands.json: build/ (scripts/build.sh makes it) or the folder given as $1.
#
#   scripts/tidy.sh                 all of src/ and apps/
#   scripts/tidy.sh build src/io    one folder
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${1:-build}
shift || true
paths=("$@")
((${#paths[@]} > 0)) || paths=(src apps)
command -v run-clang-tidy > /dev/null || bash scripts/setup.sh --dev > /dev/null
[[ -f "$build/compile_commands.json" ]] || bash scripts/build.sh > /dev/null
jobs=$(nproc 2>/dev/null || echo 2)
mapfile -t files < <(git ls-files "${paths[@]}" | grep -E '\.(cpp|cc)$')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# run-clang-tidy takes regexes; anchor each file.
regexes=()
for f in "${files[@]}"; do regexes+=("$root/$f\$"); done
if ! run-clang-tidy -quiet -p "$build" -j "$jobs" -warnings-as-errors='*' "${regexes[@]}" > "$log" 2>&1; then
  grep -E 'warning:|error:' "$log" | grep -v '^[0-9]* warnings* generated' | sort -u | head -100
  echo "tidy: clang-tidy found problems in ${#files[@]} files (full log above, first 100 lines)"
  exit 1
fi
echo "tidy: ${#files[@]} files clean"
