// Pyramid + fragments + trees on generated scenes, 512x384 and 1024x768, 1 and 2 threads.
// Reports ms per image and ms per level (the mean over the pyramid's levels).
//
// BM_TiledLevel0: level 0 of a 1024x768 (and 2048x1536) scene whole and in tiles (2x2,
// 3x2, 4x3; margins 8 to 128), one thread, as one edge node would run one job: the untiled
// level's time, the plan (the shared Canny threshold), each tile's time (the slowest is the
// makespan when every tile has its own node), and the merge by stage. The merged fragments
// equal the untiled ones (tests/fragments/tiles_test.cpp); same_count re-checks the count.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>

#include "msrf/core/parallel.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/fragments/tiles.h"
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
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
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

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

void BM_TiledLevel0(benchmark::State& state) {
  ClutterSceneOptions scene_options;
  const int width = static_cast<int>(state.range(0));
  scene_options.size = {width, width * 3 / 4};
  scene_options.seed = 17;
  scene_options.num_shapes = 8 * width / 1024;
  scene_options.num_clutter_curves = 20 * width / 1024;
  const SyntheticScene scene = DrawClutterScene(scene_options);
  const ThreadLimit limit(1);
  const MultiscaleOptions options;
  const ImageLevel level = BuildImageLevel(scene.image, cv::Mat(), 0, 1.0, options.pyramid);
  TileOptions tiles;
  tiles.columns = static_cast<int>(state.range(1));
  tiles.rows = static_cast<int>(state.range(2));
  tiles.margin = static_cast<int>(state.range(3));

  double untiled_ms = 0, plan_ms = 0, tile_max_ms = 0, tile_sum_ms = 0, merge_ms = 0;
  double crop_ms = 0, untiled_edges_ms = 0;
  TileMergeSummary merge_sum;
  int reused = 0, recut = 0;
  bool equal = true;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto whole = ProcessImageLevel(level, options);
    untiled_ms += MsSince(start);
    if (whole.ok()) untiled_edges_ms += whole->summary.edges_ms;
    auto plan = PlanTiles(level, options, tiles);
    if (!whole.ok() || !plan.ok()) {
      state.SkipWithError("level work failed");
      return;
    }
    plan_ms += plan->plan_ms;
    start = std::chrono::steady_clock::now();
    auto jobs = MakeTileJobs(level, *plan);
    crop_ms += MsSince(start);
    std::vector<TileOutput> outputs;
    double slowest = 0.0;
    for (const TileJob& job : *jobs) {
      start = std::chrono::steady_clock::now();
      auto out = RunTileJob(job);
      const double ms = MsSince(start);
      slowest = std::max(slowest, ms);
      tile_sum_ms += ms;
      outputs.push_back(std::move(*out));
    }
    tile_max_ms += slowest;
    TileMergeSummary merge;
    start = std::chrono::steady_clock::now();
    auto merged = MergeTiles(*plan, outputs, &merge);
    merge_ms += MsSince(start);
    merge_sum.stitch_ms += merge.stitch_ms;
    merge_sum.edges_ms += merge.edges_ms;
    merge_sum.link_ms += merge.link_ms;
    merge_sum.match_ms += merge.match_ms;
    merge_sum.cut_ms += merge.cut_ms;
    reused = merge.reused_chains;
    recut = merge.recut_chains;
    equal = equal && merged.ok() && merged->fragments.size() == whole->fragments.size();
    benchmark::DoNotOptimize(merged->fragments.data());
  }
  const auto n = static_cast<double>(state.iterations());
  const double tiles_count = static_cast<double>(tiles.columns * tiles.rows);
  state.counters["untiled_ms"] = untiled_ms / n;
  state.counters["plan_ms"] = plan_ms / n;
  state.counters["crop_ms"] = crop_ms / n;
  state.counters["tile_max_ms"] = tile_max_ms / n;
  state.counters["tile_mean_ms"] = tile_sum_ms / n / tiles_count;
  state.counters["merge_ms"] = merge_ms / n;
  state.counters["untiled_edges_ms"] = untiled_edges_ms / n;
  state.counters["merge_stitch_ms"] = merge_sum.stitch_ms / n;
  state.counters["merge_edges_ms"] = merge_sum.edges_ms / n;  // hysteresis and thinning
  state.counters["merge_link_ms"] = merge_sum.link_ms / n;
  state.counters["merge_match_ms"] = merge_sum.match_ms / n;
  state.counters["merge_cut_ms"] = merge_sum.cut_ms / n;
  state.counters["makespan_ms"] = (plan_ms + crop_ms + tile_max_ms + merge_ms) / n;
  state.counters["reused_chains"] = reused;
  state.counters["recut_chains"] = recut;
  state.counters["same_count"] = equal ? 1 : 0;
}

BENCHMARK(BM_TiledLevel0)
    ->ArgNames({"width", "columns", "rows", "margin"})
    ->Args({1024, 2, 2, 32})
    ->Args({1024, 3, 2, 32})
    ->Args({1024, 4, 3, 32})
    ->Args({1024, 3, 2, 8})
    ->Args({1024, 2, 2, 128})
    ->Args({2048, 2, 2, 32})
    ->Args({2048, 4, 3, 32})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace msrf

BENCHMARK_MAIN();
