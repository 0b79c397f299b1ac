// Boundary maps of a BSDS-sized photo (481 x 321), 1 and 2 threads: msrf's forest, its parts
// (the feature channels; the trees and their votes; orientation and thinning), and the
// Gaussian gradient for comparison. The photo is a BSDS500 val image when ../shared holds
// one, else a generated clutter scene of the same size (the counter `bsds` says which).
//
// BM_DetectShare: the forest's share of a whole Detect on the bundled example (a Detect finds
// the forest's map itself; boundaries_ms times that part alone).
#include <benchmark/benchmark.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <chrono>
#include <filesystem>

#include "msrf/boundaries/boundaries.h"
#include "msrf/boundaries/forest.h"
#include "msrf/core/parallel.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/model_io.h"
#include "msrf/synth/scene.h"

namespace msrf {
namespace {

const cv::Mat& Photo(bool* from_bsds = nullptr) {
  static bool bsds = false;
  static const cv::Mat photo = [] {
    const std::filesystem::path path = std::filesystem::path(MSRF_SOURCE_DIR) / ".." / "shared" /
                                       "datasets" / "bsds500" / "val" / "101085.jpg";
    cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (!image.empty()) {
      bsds = true;
      return image;
    }
    ClutterSceneOptions options;
    options.size = {481, 321};
    options.seed = 5;
    options.num_shapes = 6;
    options.num_clutter_curves = 20;
    cv::Mat gray = DrawClutterScene(options).image, bgr;
    cv::cvtColor(gray, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
  }();
  if (from_bsds != nullptr) *from_bsds = bsds;
  return photo;
}

template <typename Body>
void TimeIt(benchmark::State& state, Body body) {
  bool bsds = false;
  Photo(&bsds);
  const ThreadLimit limit(static_cast<int>(state.range(0)));
  // One run untimed: the built-in forest is parsed on first use, and a first run pays for
  // its memory; a long-running program pays for neither per image.
  body();
  double total_ms = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    body();
    total_ms +=
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["ms_per_image"] = total_ms / static_cast<double>(state.iterations());
  state.counters["bsds"] = bsds ? 1 : 0;
}

void BM_ForestBoundaries(benchmark::State& state) {
  TimeIt(state, [] { benchmark::DoNotOptimize(DetectBoundaries(Photo())); });
}

// One run at the photo's size, against the default's three sizes.
void BM_ForestOneScale(benchmark::State& state) {
  BoundaryOptions options;
  options.forest_scales = {1.0};
  TimeIt(state, [&] { benchmark::DoNotOptimize(DetectBoundaries(Photo(), options)); });
}

void BM_ForestChannels(benchmark::State& state) {
  const Forest& forest = DefaultForest();
  TimeIt(state, [&] {
    benchmark::DoNotOptimize(ForestChannels(Photo(), forest.geometry, forest.geometry.patch / 2));
  });
}

void BM_ForestRaw(benchmark::State& state) {
  TimeIt(state, [] { benchmark::DoNotOptimize(ForestBoundaries(DefaultForest(), Photo())); });
}

void BM_Thinning(benchmark::State& state) {
  Result<BoundaryMap> raw = ForestBoundaries(DefaultForest(), Photo());
  if (!raw.ok()) {
    state.SkipWithError(raw.status().ToString().c_str());
    return;
  }
  TimeIt(state, [&] {
    benchmark::DoNotOptimize(SuppressNonMaxima(raw->strength, RidgeOrientation(raw->strength)));
  });
}

void BM_GradientBoundaries(benchmark::State& state) {
  BoundaryOptions options;
  options.method = BoundaryMethod::kGradient;
  TimeIt(state, [&] { benchmark::DoNotOptimize(DetectBoundaries(Photo(), options)); });
}

#define MSRF_THREADS(bm) \
  BENCHMARK(bm)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()
MSRF_THREADS(BM_ForestBoundaries);
MSRF_THREADS(BM_ForestOneScale);
MSRF_THREADS(BM_ForestChannels);
MSRF_THREADS(BM_ForestRaw);
MSRF_THREADS(BM_Thinning);
MSRF_THREADS(BM_GradientBoundaries);

void BM_DetectShare(benchmark::State& state) {
  const std::filesystem::path examples =
      std::filesystem::path(MSRF_SOURCE_DIR) / "datasets" / "examples";
  const cv::Mat image = cv::imread((examples / "vase_scene.png").string(), cv::IMREAD_COLOR);
  Result<ShapeModel> model = LoadShapeModel((examples / "vase.json").string());
  if (image.empty() || !model.ok()) {
    state.SkipWithError("the bundled example is missing");
    return;
  }
  const ThreadLimit limit(static_cast<int>(state.range(0)));
  if (!Detect(image, *model, DetectOptions()).ok()) {  // untimed: first use, as in TimeIt
    state.SkipWithError("detection failed");
    return;
  }
  double boundaries_ms = 0.0, total_ms = 0.0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    Result<BoundaryMap> map = DetectBoundaries(image);
    const auto middle = std::chrono::steady_clock::now();
    Result<Detections> r = Detect(image, *model, DetectOptions());
    const auto end = std::chrono::steady_clock::now();
    if (!map.ok() || !r.ok()) {
      state.SkipWithError("detection failed");
      return;
    }
    boundaries_ms += std::chrono::duration<double, std::milli>(middle - start).count();
    total_ms += std::chrono::duration<double, std::milli>(end - middle).count();
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["boundaries_ms"] = boundaries_ms / n;
  state.counters["detect_ms"] = total_ms / n;
  state.counters["share"] = boundaries_ms / total_ms;  // of the whole Detect, boundaries included
}
BENCHMARK(BM_DetectShare)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace msrf

BENCHMARK_MAIN();
