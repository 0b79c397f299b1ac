// What `msrf bench ethz` and `msrf bench shapes` share: their options, the run of every
// detector over a dataset with a progress bar, and the outputs (summary.json,
// detections.json, curves.png, contours.png and the table).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "msrf/cli.h"
#include "msrf/eval/dataset.h"
#include "msrf/progress.h"

namespace CLI {
class App;
}

namespace msrf::cli {

// The comma-separated items of `s`, empty ones dropped.
std::vector<std::string> SplitList(const std::string& s);

struct ShapeBenchArgs {
  std::string out;
  std::string classes;
  std::string methods = "msrf,ghough,chamfer";
  std::string edges;   // "berkeley" (ethz) or "auto" (shapes) by default
  std::string config;  // msrf's DetectOptions as JSON
  int threads = 0;
  int max_detections = 5;
  std::string nodes;  // run msrf's pyramid levels on these edge nodes
  bool compact = false;
};

// The options both commands take beside the dataset's: --out, --classes, --methods, --edges
// (one of `edge_names`), --config, --threads, --max-detections, --nodes, --compact.
void AddShapeBenchOptions(CLI::App* cmd, ShapeBenchArgs& args,
                          const std::vector<std::string>& edge_names,
                          const std::string& edges_help);

// Runs `command` ("bench ethz"): the methods and the output folder are checked, the dataset
// read by `read` (its errors name the dataset), every detector run, and the outputs written
// all or none. Returns the exit code.
int RunShapeBench(const char* command, const ShapeBenchArgs& args,
                  const std::function<Result<ShapeDataset>()>& read, Context& ctx);

// Adds `bench shapes` and `bench coco-manifest` to `bench` (cmd_bench_shapes.cpp).
void AddBenchShapesCommands(CLI::App* bench, Context& context);

}  // namespace msrf::cli
