#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer, built in
# build-asan (gcc, -O1). Fails on any memory error, leak (.ci/lsan.supp lists the third-party
# allocations kept until exit, with reasons) or undefined behaviour.
#
# Not a stage of .ci/run: a cold build and the suite take about 14 minutes on 2 cores, more
# than CI's budget leaves. CI's fuzz stage runs every parser of untrusted input under the same
# two sanitizers; run this before a change to memory handling, threads or the remote code.
#
#   bash scripts/asan.sh              every test
#   bash scripts/asan.sh -LE remote   ctest arguments narrow it
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/setup.sh
echo "== asan: build (build-asan, -DMSRF_SANITIZE=address,undefined)"
# Line tables (-g1) are all a sanitizer's stack trace needs.
cmake -S . -B build-asan $(bash scripts/ccache-flags.sh) -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g1 -O1" -DMSRF_SANITIZE=address,undefined \
  -DMSRF_BUILD_BENCHMARKS=OFF -DMSRF_BUILD_APPS=ON > build-asan.configure.log 2>&1 \
  || { cat build-asan.configure.log; exit 1; }
cmake --build build-asan -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$root/.ci/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== asan: tests"
if (($# > 0)); then
  ctest --test-dir build-asan --output-on-failure --timeout 900 "$@"
  exit
fi
ctest --test-dir build-asan --output-on-failure -j "$jobs" -LE remote
# The remote tests start node processes, each several times slower under the sanitizers:
# one test at a time, so that no node's handshake waits behind another test's fleet.
ctest --test-dir build-asan --output-on-failure -L remote --timeout 900
