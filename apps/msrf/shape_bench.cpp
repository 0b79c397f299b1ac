// The run and outputs of the shape benchmarks, `msrf bench ethz` and `msrf bench shapes`.
#include "shape_bench.h"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/eval/bench.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"

namespace msrf::cli {

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

namespace {

// msrf's options: the defaults, or --config.
Result<DetectOptions> BenchMsrfOptions(const ShapeBenchArgs& args) {
  DetectOptions options;
  if (!args.config.empty()) {
    MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(args.config));
    MSRF_RETURN_IF_ERROR(UpdateDetectOptionsFromJson(text, args.config, options));
  }
  return options;
}

// Detectors for the methods of --methods, in its order.
Result<std::vector<std::unique_ptr<ShapeDetector>>> MakeDetectors(const ShapeBenchArgs& args,
                                                                  LevelExecutor* executor) {
  ShapeDetectorOptions options;
  options.max_detections = args.max_detections;
  MSRF_ASSIGN_OR_RETURN(options.edges, BenchEdgeMethod(args.edges));
  MSRF_ASSIGN_OR_RETURN(options.msrf, BenchMsrfOptions(args));
  options.executor = executor;
  std::vector<std::unique_ptr<ShapeDetector>> detectors;
  for (const std::string& method : SplitList(args.methods)) {
    Result<std::unique_ptr<ShapeDetector>> d = CreateShapeDetector(method, options);
    if (!d.ok()) return d.status().WithContext("--methods");
    detectors.push_back(std::move(d).value());
  }
  if (detectors.empty()) return InvalidArgumentError("--methods is empty");
  return detectors;
}

// The readers the benchmark uses: image codecs' warnings kept off stderr.
BenchReaders CliReaders() {
  BenchReaders readers;
  readers.model = [](const std::string& path) { return ReadShapeModel(path); };
  readers.image = [](const std::string& image, const std::string& edges) -> Result<BenchImage> {
    MSRF_ASSIGN_OR_RETURN(InputImage in,
                          ReadInputImage(image, edges, ImageReadOptions().max_pixels));
    return BenchImage{in.image, in.edge_strength, cv::Mat()};
  };
  return readers;
}

struct OutputPaths {
  std::string summary, detections, curves, contours;
  bool created_folder = false;
};

// Every file the dataset names (and a manifest itself), as inputs no output may replace.
NamedPaths DatasetFiles(const ShapeDataset& data) {
  NamedPaths files;
  if (data.is_manifest) files.emplace_back("--manifest", data.root);
  for (const auto& [klass, path] : data.model_paths) files.emplace_back("model", path);
  for (const DatasetImage& image : data.images) {
    files.emplace_back("image", image.image_path);
    files.emplace_back("edge map", image.edges_path);
    for (const DatasetObject& o : image.objects) {
      files.emplace_back("outline", o.outline_path);
      files.emplace_back("mask", o.mask_path);
    }
    for (const std::string& path : image.outline_paths) files.emplace_back("outlines", path);
  }
  return files;
}

// The output folder made and its four files checked before any work: none of them may be one
// of the dataset's files.
Result<OutputPaths> PrepareOutputs(const std::string& out, const ShapeDataset& data) {
  std::error_code ec;
  OutputPaths paths{out + "/summary.json", out + "/detections.json", out + "/curves.png",
                    out + "/contours.png"};
  paths.created_folder = !std::filesystem::exists(out, ec);
  std::filesystem::create_directories(out, ec);
  if (ec || !std::filesystem::is_directory(out, ec)) {
    return InvalidArgumentError("--out " + out + ": cannot create the folder");
  }
  const Status st = CheckOutputPaths({{"--out", paths.summary},
                                      {"--out", paths.detections},
                                      {"--out", paths.curves},
                                      {"--out", paths.contours}},
                                     DatasetFiles(data));
  if (!st.ok()) {
    if (paths.created_folder) std::filesystem::remove(out, ec);
    return st;
  }
  return paths;
}

}  // namespace

void AddShapeBenchOptions(CLI::App* cmd, ShapeBenchArgs& args,
                          const std::vector<std::string>& edge_names,
                          const std::string& edges_help) {
  cmd->add_option("--out", args.out,
                  "Output folder (summary.json, detections.json, curves.png, contours.png)")
      ->required()
      ->check(NonEmptyPath());
  cmd->add_option("--classes", args.classes,
                  "Comma-separated subset of the classes whose models run (default: all)");
  cmd->add_option("--methods", args.methods, "Comma-separated: msrf, ghough, chamfer")
      ->capture_default_str();
  cmd->add_option("--edges", args.edges, edges_help)
      ->check(CLI::IsMember(edge_names))
      ->capture_default_str();
  cmd->add_option("--config", args.config,
                  "msrf's options as JSON (as `msrf detect --dump-config` writes them); the "
                  "edges follow --edges")
      ->check(NonEmptyPath());
  cmd->add_option("--threads", args.threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--max-detections", args.max_detections, "Detections per image per model")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
#if MSRF_WITH_REMOTE
  cmd->add_option("--nodes", args.nodes,
                  "Run msrf's pyramid levels on the edge nodes of this "
                  "nodes file (see msrf node serve)");
  cmd->add_flag("--compact", args.compact, "With --nodes: compact (lossy) level payloads");
#endif
}

int RunShapeBench(const char* command, const ShapeBenchArgs& args,
                  const std::function<Result<ShapeDataset>()>& read, Context& ctx) {
  // The method names are checked before any node is asked.
  Result<std::vector<std::unique_ptr<ShapeDetector>>> detectors = MakeDetectors(args, nullptr);
  if (!detectors.ok()) return ctx.Fail(command, detectors.status());
  if (args.compact && args.nodes.empty()) {
    return ctx.Fail(command, InvalidArgumentError("--compact needs --nodes"));
  }
  Result<LevelExecutorChoice> choice =
      OpenLevelExecutor(args.nodes, args.compact, command, ctx.err);
  if (!choice.ok()) return ctx.Fail(command, choice.status());
  // Only --nodes changes where msrf's levels run; without it Detect runs them here.
  LevelExecutor* executor = args.nodes.empty() ? nullptr : choice->executor.get();
  if (executor) {
    detectors = MakeDetectors(args, executor);
    if (!detectors.ok()) return ctx.Fail(command, detectors.status());
  }
  Result<ShapeDataset> data = read();
  if (!data.ok()) return ctx.Fail(command, data.status());
  Result<OutputPaths> paths = PrepareOutputs(args.out, *data);
  if (!paths.ok()) return ctx.Fail(command, paths.status());
  // A failure from here on leaves no folder this command made.
  auto fail = [&](const Status& status) {
    std::error_code ec;
    if (paths->created_folder) std::filesystem::remove(args.out, ec);  // only when empty
    return ctx.Fail(command, status);
  };

  const ThreadLimit thread_limit(args.threads);
  Result<DetectOptions> msrf_options = BenchMsrfOptions(args);
  if (!msrf_options.ok()) return fail(msrf_options.status());
  EdgeOptions edges = msrf_options->fragments.edges;
  edges.method = BenchEdgeMethod(args.edges).value();  // --edges is one of its names (CLI11)
  Result<BenchInputs> inputs = LoadBenchInputs(*data, edges, CliReaders());
  if (!inputs.ok()) return fail(inputs.status());
  if (inputs->boundaries_seconds > 0.0) {
    char line[160];
    std::snprintf(line, sizeof(line),
                  "forest boundary maps: %.1f s, %.0f ms per image (once for every model)\n",
                  inputs->boundaries_seconds,
                  1000.0 * inputs->boundaries_seconds / static_cast<double>(inputs->images.size()));
    ctx.out << line;
  }

  std::vector<const ShapeDetector*> run_list;
  for (const auto& d : *detectors) run_list.push_back(d.get());
  Progress progress(
      static_cast<int>(run_list.size() * data->classes.size() * inputs->images.size()));
  auto observe = [&](const std::string& method, const std::string& klass, size_t) {
    progress.Step(method + " " + klass);
  };
  Result<std::vector<MethodDetections>> runs = RunShapeBench(*data, *inputs, run_list, observe);
  if (!runs.ok()) return fail(runs.status());

  // Every output encoded before any is written; WriteOutputs writes all three or none.
  const std::vector<MethodScores> scores = ScoreShapeBench(*data, *runs);
  const BenchHalves halves = ScoreHalves(*data, *runs);
  const std::vector<MethodContours> contours = ScoreBenchContours(*data, *inputs, *runs);
  Result<std::string> png = EncodePng(BenchCurves(*data, scores));
  if (!png.ok()) return fail(png.status());
  Result<std::string> contours_png = EncodePng(BenchContourFigure(*data, *inputs, *runs, contours));
  if (!contours_png.ok()) return fail(contours_png.status());
  const std::string edges_label = BenchEdgesLabel(args.edges);
  const Status st = WriteOutputs(
      {{paths->detections, BenchDetectionsJson(*data, *runs)},
       {paths->curves, *png},
       {paths->contours, *contours_png},
       {paths->summary, BenchSummaryJson(*data, scores, edges_label, halves, contours)}});
  if (!st.ok()) return fail(st);

  ctx.out << BenchTable(*data, scores, edges_label, halves, contours);
  if (executor) {
    // The executor runs msrf's levels only, so its account is theirs.
    const LevelExecutorReport r = executor->Report();
    const int64_t offload_bytes = r.bytes_sent + r.bytes_received;
    const int offload_local = r.local_levels + r.local_tiles;
    int offload_remote = 0;
    for (const LevelNodeReport& n : r.nodes) offload_remote += n.levels_done + n.tiles_done;
    ctx.out << "offload: " << offload_remote << " levels on nodes, " << offload_local << " here, "
            << offload_bytes << " bytes moved" << (args.compact ? " (compact)" : "") << "\n";
  }
  ctx.out << "-> " << paths->summary << ", " << paths->detections << ", " << paths->curves << ", "
          << paths->contours << "\n";
  return kExitOk;
}

}  // namespace msrf::cli
