// Pyramid + fragments + trees on generated scenes, 512x384 and 1024x768, 1 and 2 threads.
// Reports ms per image and ms per level (the mean over the pyramid's levels).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "msrf/core/parallel.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/synth/scene.h"

namespace msrf {
namespace {

void BM_MultiscaleFragments(benchmark::State& state) {
  ClutterSceneOptions scene_options;
  scene_options.size = {static_cast<int>(state.range(0)), static_cast<int>(state.range(0)) * 3 / 4};
  scene_options.seed = 17;
  scene_options.num_shapes = 8;
  scene_options.num_clutter_curves = 20;
  const SyntheticScene scene = DrawClutterScene(scene_options);
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  const MultiscaleOptions options;

  size_t levels = 0, fragments = 0;
  double total_ms = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto result = ExtractMultiscaleFragments(scene.image, cv::Mat(), options);
    total_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count();
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    levels = result->levels.size();
    fragments = result->fragments.size();
    benchmark::DoNotOptimize(result->fragments.data());
  }
  const double per_image = total_ms / static_cast<double>(state.iterations());
  state.counters["ms_per_image"] = per_image;
  state.counters["ms_per_level"] = per_image / static_cast<double>(std::max<size_t>(levels, 1));
  state.counters["levels"] = static_cast<double>(levels);
  state.counters["fragments"] = static_cast<double>(fragments);
}

BENCHMARK(BM_MultiscaleFragments)
    ->ArgNames({"width", "threads"})
    ->ArgsProduct({{512, 1024}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace msrf

BENCHMARK_MAIN();
