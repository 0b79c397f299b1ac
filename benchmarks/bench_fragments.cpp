// Pyramid + fragments + trees on generated scenes, 512x384 and 1024x768, 1 and 2 threads.
// Reports ms per image and ms per level (the mean over the pyramid's levels).
#include <benchmark/benchmark.h>

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
  for (auto _ : state) {
    auto result = ExtractMultiscaleFragments(scene.image, cv::Mat(), options);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    levels = result->levels.size();
    fragments = result->fragments.size();
    benchmark::DoNotOptimize(result->fragments.data());
  }
  state.counters["ms_per_image"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * 1e-3,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["ms_per_level"] =
      benchmark::Counter(static_cast<double>(state.iterations() * levels) * 1e-3,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
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
