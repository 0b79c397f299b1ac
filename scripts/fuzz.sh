#!/usr/bin/env bash
# Bounded fuzzing of every parser of untrusted input (fuzz/, docs/fuzzing.md).
# Builds the libFuzzer targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz, then runs each for MSRF_FUZZ_SECONDS (default 60) on a scratch copy of its seed
# corpus (fuzz/corpus/<name>; the repository is never written), one per core at a time. Fails on any crash, leak,
# timeout or out-of-memory, printing the input's path and its base64.
#
#   bash scripts/fuzz.sh                                  all targets
#   MSRF_FUZZ_SECONDS=10 MSRF_FUZZ_TARGETS="model_json nodes_config" bash scripts/fuzz.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${MSRF_FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)

# Each target with the longest input it gets (bytes): past these the parsers only do more of
# the same, and libFuzzer's default (4096) would cut the seeds of the binary formats.
declare -A max_len=(
  [model_json]=16384 [options_json]=8192 [nodes_config]=8192 [image_header]=4096
  [model_image]=16384 [remote_request]=65536 [remote_reply]=65536 [forest]=65536
  [manifest_json]=16384 [coco_json]=16384
)
targets=(${MSRF_FUZZ_TARGETS:-model_json options_json nodes_config image_header model_image
                              remote_request remote_reply forest manifest_json coco_json})

echo "== fuzz: dependencies"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
if ! command -v clang++ > /dev/null || ! dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null \
    | grep -q "install ok installed"; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends clang libclang-rt-14-dev
fi
bash scripts/setup.sh

echo "== fuzz: build (build-fuzz, clang, -fsanitize=fuzzer,address,undefined)"
cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_UNITY_BUILD=ON \
  $(bash scripts/ccache-flags.sh) -DMSRF_BUILD_FUZZERS=ON -DMSRF_BUILD_TESTS=OFF -DMSRF_BUILD_BENCHMARKS=OFF \
  -DMSRF_BUILD_APPS=OFF > build-fuzz.configure.log 2>&1 \
  || { cat build-fuzz.configure.log; exit 1; }
build_start=$(date +%s)
cmake --build build-fuzz -j "$jobs" --target msrf_fuzzers
echo "fuzz: build took $(($(date +%s) - build_start)) s"

scratch=$(mktemp -d /tmp/msrf-fuzz.XXXXXX)
echo "== fuzz: ${seconds} s per target, scratch folder $scratch"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$root/.ci/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Formats without a header check in msrf (TIFF, WebP, ...) are bounded by OpenCV itself.
export OPENCV_IO_MAX_IMAGE_PIXELS=65536

# One target: fuzzes it and writes its summary line to $scratch/<target>/result.
run_target() {
  local t=$1 bin=build-fuzz/fuzz/msrf_fuzz_$1 status=0 start secs execs rate dict=()
  mkdir -p "$scratch/$t/corpus" "$scratch/$t/artifacts"
  cp -r "fuzz/corpus/$t/." "$scratch/$t/corpus/"
  if [[ $t == *_json || $t == nodes_config ]]; then dict=(-dict=fuzz/json.dict); fi
  start=$(date +%s)
  "$bin" "$scratch/$t/corpus" "${dict[@]}" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len="${max_len[$t]}" -print_final_stats=1 \
    -artifact_prefix="$scratch/$t/artifacts/" > "$scratch/$t/log" 2>&1 || status=$?
  secs=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$scratch/$t/log" | tail -1)
  printf '%-15s %10s execs %5s s %8s execs/s  %s\n' "$t" "${execs:-?}" "$secs" "${rate:-?}" \
    "$( ((status == 0)) && echo ok || echo "FAILED (exit $status)")" > "$scratch/$t/result"
}

# Each fuzzer runs on one core: as many at a time as there are cores.
for t in "${targets[@]}"; do
  [[ -x build-fuzz/fuzz/msrf_fuzz_$t ]] || { echo "fuzz: no target $t"; exit 1; }
done
for t in "${targets[@]}"; do
  while (($(jobs -rp | wc -l) >= jobs)); do wait -n || true; done
  echo "-- $t"
  run_target "$t" &
done
wait

failed=()
summary=()
for t in "${targets[@]}"; do
  line=$(cat "$scratch/$t/result" 2>/dev/null || echo "$t: no result")
  summary+=("$line")
  [[ $line == *" ok" ]] && continue
  failed+=("$t")
  tail -n 60 "$scratch/$t/log"
  for a in "$scratch/$t/artifacts"/*; do
    [[ -e $a ]] || continue
    echo "fuzz: $t: input $a"
    echo "fuzz: $t: base64 $(base64 -w0 "$a")"
  done
done

echo "== fuzz: summary"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: failed: ${failed[*]} (logs and inputs in $scratch)"
  exit 1
fi
rm -rf "$scratch"
