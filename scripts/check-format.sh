#!/usr/bin/env bash
# Checks that every C++ file of the repository is formatted with its .clang-format; lists the
# files that are not and exits 1. `scripts/check-format.sh --fix` reformats them instead.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
command -v clang-format > /dev/null || bash scripts/setup.sh --dev > /dev/null
mapfile -t files < <(git ls-files '*.cpp' '*.cc' '*.h' '*.hpp')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  if ! clang-format --dry-run --Werror "$f" > /dev/null 2>&1; then bad+=("$f"); fi
done
if ((${#bad[@]} > 0)); then
  echo "format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (scripts/check-format.sh --fix):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: all ${#files[@]} C++ files match .clang-format"
