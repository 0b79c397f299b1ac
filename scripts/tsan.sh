#!/usr/bin/env bash
# ThreadSanitizer: the tests that run msrf on several threads, built with -fsanitize=thread in
# build-tsan. Fails on any data race or lock-order report, from the test programs or from the
# node processes the remote tests start.
#
# What runs (about 2 minutes of tests on 2 cores; the build about 6 from a cold cache):
#   - the remote tests that exercise threads: every RawClientTest (a node's gRPC server,
#     requests from a client on loopback), and four RemoteTest/RemoteTilesTest runs in which
#     the coordinator's per-node threads and gRPC's threads meet a malformed answer, a node
#     killed mid-job, every node gone, and garbage tile answers. The other remote tests
#     repeat the same threading on larger scenes (several minutes each under TSan), and the
#     codec, nodes-file and placement tests run on one thread;
#   - msrf's parallel loop itself (ParallelFor*), and every determinism-across-thread-count
#     test: detection, multiscale fragments, tiled levels, the `detect` and `fragments`
#     commands, relaxation labelling and MCMC, on 1 and 2 threads.
#
# In this build msrf's ParallelFor runs on std::threads, not oneTBB (msrf/core/parallel.h,
# docs/fuzzing.md#threadsanitizer), so races between two bodies of msrf's loops are seen.
# Debian's gRPC, OpenCV (whose own parallel_for_ runs on oneTBB), oneTBB and GDAL are not
# instrumented; .ci/tsan.supp lists, with reasons, the reports that arise inside them.
# Nothing in it names msrf's own code, so a report in msrf's frames fails the stage.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)

bash scripts/setup.sh

echo "== tsan: build (build-tsan, -DMSRF_SANITIZE=thread)"
# Warnings are not errors here: with -fsanitize=thread gcc 12 warns of potential null
# dereferences (-Wnull-dereference) that the normal build does not see; that build keeps -Werror.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSRF_SANITIZE=thread -DCMAKE_UNITY_BUILD=ON \
  -DMSRF_WARNINGS_AS_ERRORS=OFF $(bash scripts/ccache-flags.sh) -DMSRF_BUILD_BENCHMARKS=OFF -DMSRF_BUILD_APPS=ON \
  -DMSRF_BUILD_TESTS=ON \
  > build-tsan.configure.log 2>&1 || { cat build-tsan.configure.log; exit 1; }
cmake --build build-tsan -j "$jobs" --target msrf_cli_app msrf_remote_tests msrf_grouping_tests \
  msrf_fragments_tests msrf_cli_tests msrf_inference_tests msrf_core_tests msrf_boundaries_tests
built=$(date +%s)
echo "tsan: build took $((built - start)) s"

# Reports go to files, one per process, so that those of node processes are seen too.
logs=$(mktemp -d /tmp/msrf-tsan.XXXXXX)
# ignore_noninstrumented_modules: memory that an uninstrumented library (libstdc++'s
# out-of-line string code, run on gRPC's event-engine threads) reads or writes through an
# intercepted call such as memcpy is not checked; TSan cannot see those libraries' own
# synchronisation, so every such report would be false. Accesses from msrf's code, which is
# instrumented, are all still checked, and so are the locks and threads the libraries make.
export TSAN_OPTIONS="suppressions=$root/.ci/tsan.supp:ignore_noninstrumented_modules=1"
TSAN_OPTIONS+=":log_path=$logs/report:second_deadlock_stack=1:halt_on_error=0:exitcode=66"

status=0
remote='^(RawClientTest\.|RemoteTest\.(MalformedAnswerIsRejectedAndRerun|EveryNodeGoneRunsLocally'
remote+='|NodeKilledMidJobIsRerunElsewhere)$|RemoteTilesTest\.GarbageTileAnswersAreRejectedAndRerun$)'
echo "== tsan: ctest -L remote -R (threaded remote tests)"
# One at a time: the nodes of a test run several times slower under the sanitizer.
ctest --test-dir build-tsan -L remote -R "$remote" --output-on-failure --timeout 600 \
  || status=1
echo "== tsan: determinism across thread counts"
ctest --test-dir build-tsan --output-on-failure -j "$jobs" --timeout 600 \
  -R '(OneAndTwoThreads|EveryThreadCount|AnyThreadCount|^ParallelFor)' || status=1

reports=("$logs"/report*)
if [[ -e ${reports[0]} ]]; then
  echo "== tsan: ${#reports[@]} process(es) reported"
  for r in "${reports[@]}"; do
    echo "--- $r: $(grep -c '^WARNING: ThreadSanitizer' "$r") report(s), the first:"
    sed -n '/^WARNING: ThreadSanitizer/,/^SUMMARY/p' "$r" | head -n 60 || true
  done
  echo "-- every report, by place:"
  cat "${reports[@]}" | sed -n 's/^SUMMARY: ThreadSanitizer: //p' | sort | uniq -c | sort -rn \
    | head -n 40 || true
  status=1
fi
echo "tsan: tests took $(($(date +%s) - built)) s; the stage $(($(date +%s) - start)) s"
if ((status != 0)); then
  echo "tsan: FAILED (reports kept in $logs)"
  exit 1
fi
rm -rf "$logs"
