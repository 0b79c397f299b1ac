// msrf::Detect on ETHZ-sized images (about 500x400) with one model, split by stage.
//
// BM_DetectEthz runs the Mugs images of the ETHZ dev half with the hand-drawn mug model and
// the Berkeley edge maps (../shared/datasets/ethz-dev or $MSRF_ETHZ_DIR; skipped when
// absent). BM_DetectSynthetic runs generated 500x400 scenes with the bundled vase and the
// default options (msrf's own boundaries).
// Counters are milliseconds per image per model, per stage (summed over hypotheses).
//
// BM_FiveModels runs the five hand-drawn ETHZ models over the first images of every class,
// each image both ways in one iteration: five runs of Detect, one model each, and one pass of
// DetectModels with all five. Counters: separate_ms and one_pass_ms per image, and their
// ratio (one pass / separate), from the same run; edges 0 the Berkeley maps, 1 msrf's own.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/synth/scene.h"

namespace msrf {
namespace {
namespace fs = std::filesystem;

struct Input {
  cv::Mat image;
  cv::Mat strength;
};

void ReportStages(benchmark::State& state, const DetectTiming& sum, double images) {
  state.counters["ms_per_image"] = sum.total_ms / images;
  state.counters["fragments_ms"] = sum.fragments_ms / images;
  state.counters["candidates_ms"] = sum.candidates_ms / images;
  state.counters["hypotheses_ms"] = sum.hypotheses_ms / images;
  state.counters["append_ms"] = sum.append_ms / images;
  state.counters["inference_ms"] = sum.inference_ms / images;
  state.counters["readout_ms"] = sum.readout_ms / images;
}

void RunAll(benchmark::State& state, const std::vector<Input>& inputs, const ShapeModel& model,
            const DetectOptions& options) {
  const ThreadLimit limit(static_cast<int>(state.range(0)));
  DetectTiming sum;
  double images = 0;
  for (auto _ : state) {
    for (const Input& in : inputs) {
      auto r = Detect(in.image, model, options, in.strength);
      if (!r.ok()) {
        state.SkipWithError(r.status().ToString().c_str());
        return;
      }
      const DetectTiming& t = r->summary.timing;
      sum.total_ms += t.total_ms;
      sum.fragments_ms += t.fragments_ms;
      sum.candidates_ms += t.candidates_ms;
      sum.hypotheses_ms += t.hypotheses_ms;
      sum.append_ms += t.append_ms;
      sum.inference_ms += t.inference_ms;
      sum.readout_ms += t.readout_ms;
      images += 1;
    }
  }
  ReportStages(state, sum, std::max(images, 1.0));
}

std::string EthzRoot() {
  if (const char* env = std::getenv("MSRF_ETHZ_DIR")) return env;
  const fs::path beside = fs::path(MSRF_SOURCE_DIR) / ".." / "shared" / "datasets" / "ethz-dev";
  return fs::is_directory(beside) ? beside.string() : "";
}

void BM_DetectEthz(benchmark::State& state) {
  const std::string root = EthzRoot();
  if (root.empty()) {
    state.SkipWithError("ETHZ dev data not found (../shared/datasets/ethz-dev or $MSRF_ETHZ_DIR)");
    return;
  }
  auto model = LoadShapeModel(root + "/models/mug.tif");
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root + "/Mugs")) {
    if (e.path().extension() == ".jpg") names.push_back(e.path().string());
  }
  std::sort(names.begin(), names.end());
  std::vector<Input> inputs;
  ImageReadOptions edge_read;
  edge_read.imread_flags = -1;
  for (const std::string& jpg : names) {
    const std::string edges = jpg.substr(0, jpg.size() - 4) + "_edges.tif";
    auto image = ReadImage(jpg);
    auto map = ReadImage(edges, edge_read);
    if (!image.ok() || !map.ok()) continue;
    inputs.push_back({*image, *EdgeStrengthFromMap(*map)});
  }
  DetectOptions options;
  options.fragments.edges.method = EdgeMethod::kSupplied;
  state.counters["images"] = static_cast<double>(inputs.size());
  RunAll(state, inputs, *model, options);
}

void BM_DetectSynthetic(benchmark::State& state) {
  auto model = LoadShapeModel(std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json");
  if (!model.ok()) {
    state.SkipWithError(model.status().ToString().c_str());
    return;
  }
  std::vector<Input> inputs;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    TargetSceneOptions o;
    o.size = {500, 400};
    o.seed = seed;
    inputs.push_back({DrawTargetScene(model->points, o).image, cv::Mat()});
  }
  RunAll(state, inputs, *model, DetectOptions());
}

// The first `per_class` images of every class (sorted by name), with their Berkeley maps.
std::vector<Input> EthzImages(const std::string& root, size_t per_class) {
  std::vector<Input> inputs;
  ImageReadOptions edge_read;
  edge_read.imread_flags = -1;
  for (const char* klass : {"Applelogos", "Bottles", "Giraffes", "Mugs", "Swans"}) {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root + "/" + klass)) {
      if (e.path().extension() == ".jpg") names.push_back(e.path().string());
    }
    std::sort(names.begin(), names.end());
    names.resize(std::min(names.size(), per_class));
    for (const std::string& jpg : names) {
      auto image = ReadImage(jpg);
      auto map = ReadImage(jpg.substr(0, jpg.size() - 4) + "_edges.tif", edge_read);
      if (image.ok() && map.ok()) inputs.push_back({*image, *EdgeStrengthFromMap(*map)});
    }
  }
  return inputs;
}

void BM_FiveModels(benchmark::State& state) {
  const std::string root = EthzRoot();
  if (root.empty()) {
    state.SkipWithError("ETHZ dev data not found (../shared/datasets/ethz-dev or $MSRF_ETHZ_DIR)");
    return;
  }
  std::vector<ShapeModel> models;
  for (const char* name : {"applelogo", "bottle", "giraffe", "mug", "swan"}) {
    auto model = LoadShapeModel(root + "/models/" + name + ".tif");
    if (!model.ok()) {
      state.SkipWithError(model.status().ToString().c_str());
      return;
    }
    models.push_back(*model);
  }
  const std::vector<Input> inputs = EthzImages(root, 2);
  DetectOptions options;
  const bool own_edges = state.range(0) == 1;
  if (!own_edges) options.fragments.edges.method = EdgeMethod::kSupplied;
  const ThreadLimit limit(static_cast<int>(state.range(1)));
  double separate_ms = 0, one_pass_ms = 0, images = 0;
  for (auto _ : state) {
    for (const Input& in : inputs) {
      const cv::Mat strength = own_edges ? cv::Mat() : in.strength;
      Stopwatch watch;
      size_t found = 0;
      for (const ShapeModel& model : models) {
        auto r = Detect(in.image, model, options, strength);
        if (!r.ok()) return state.SkipWithError(r.status().ToString().c_str());
        found += r->detections.size();
      }
      separate_ms += watch.Milliseconds();
      watch.Restart();
      auto pass = DetectModels(in.image, models, options, strength);
      if (!pass.ok()) return state.SkipWithError(pass.status().ToString().c_str());
      one_pass_ms += watch.Milliseconds();
      size_t found_in_pass = 0;
      for (const ModelDetections& m : pass->models) found_in_pass += m.detections.size();
      if (found_in_pass != found) return state.SkipWithError("one pass found other detections");
      images += 1;
    }
  }
  images = std::max(images, 1.0);
  state.counters["images"] = static_cast<double>(inputs.size());
  state.counters["separate_ms"] = separate_ms / images;
  state.counters["one_pass_ms"] = one_pass_ms / images;
  state.counters["ratio"] = one_pass_ms / std::max(separate_ms, 1e-9);
}

BENCHMARK(BM_DetectEthz)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_FiveModels)
    ->ArgNames({"edges", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK(BM_DetectSynthetic)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2)
    ->UseRealTime();

}  // namespace
}  // namespace msrf

BENCHMARK_MAIN();
