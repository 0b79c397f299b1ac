// msrf bench offload: a batch of images through local edge nodes made uneven on purpose,
// against a local run: predicted vs measured makespan, time, bytes, and what re-planning
// gains when a node slows down mid-batch.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "msrf/child_node.h"
#include "msrf/cli.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/remote/remote_executor.h"
#include "msrf/synth/scene.h"

namespace msrf::cli {
namespace {

constexpr const char* kCommand = "bench offload";
constexpr const char* kToken = "bench-offload-token-0123456789";

struct OffloadArgs {
  int nodes = 3;
  int images = 8;
  int width = 1024;
  int height = 768;
  std::vector<double> slowdowns = {1.0, 2.0, 4.0};
  std::vector<int> delays_ms = {0, 2, 8};
  double slow_factor = 8.0;
  bool compact = false;
  int tile_pixels = 0;  // > 0: a "tiled" configuration too
  std::string model;
  std::string out;
  std::string node_program;  // msrf itself unless given
};

struct NodeSetup {
  double slowdown = 1.0;
  int delay_ms = 0;
  int slowdown_after = 0;
};

struct Config {
  std::string name;
  std::vector<NodeSetup> nodes;
  bool replan = true;
  int tile_pixels = 0;  // RemoteOptions::tile_pixels
};

struct Outcome {
  double seconds = 0.0;
  int identical = 0;
  double mean_error = 0.0;    // mean |predicted - measured| / measured makespan
  double median_error = 0.0;
  int64_t bytes = 0;          // sent + received
  int levels_remote = 0;
  int levels_local = 0;
  std::vector<std::vector<int>> plans;  // per image: the slot each level ran on
  std::vector<double> predicted_ms, measured_ms;
};

std::string ToJson(const Detections& d, const ShapeModel& model, const DetectOptions& options,
                   cv::Size size) {
  DetectionsJsonOptions json;
  json.include_timing = false;
  return DetectionsToJson(d, model, options, size, json);
}

// A bottle, drawn in code so that the benchmark needs no files.
Result<ShapeModel> BuiltinModel() {
  std::vector<cv::Point2d> polygon = {{45, 10}, {75, 10}, {75, 55}, {100, 90}, {100, 140}};
  for (int i = 1; i < 40; ++i) {
    const double t = CV_PI * i / 40.0;
    polygon.emplace_back(60 + 40 * std::cos(t), 140 + 45 * std::sin(t));
  }
  polygon.insert(polygon.end(), {{20, 140}, {20, 90}, {45, 55}});
  return ShapeModelFromPolygon(polygon);
}

Result<Outcome> RunConfig(const Config& config, const std::vector<cv::Mat>& images,
                          const std::vector<std::string>& local_json, const ShapeModel& model,
                          const DetectOptions& options, const std::string& token_file,
                          const std::string& program, bool compact) {
  std::vector<std::unique_ptr<ChildNode>> children;
  remote::RemoteOptions remote_options;
  remote_options.replan = config.replan;
  for (const NodeSetup& n : config.nodes) {
    std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--insecure", "--token-file",
                                     token_file, "--threads", "1"};
    if (n.slowdown > 1.0) args.insert(args.end(), {"--slowdown", std::to_string(n.slowdown)});
    if (n.slowdown_after > 0) {
      args.insert(args.end(), {"--slowdown-after", std::to_string(n.slowdown_after)});
    }
    if (n.delay_ms > 0) args.insert(args.end(), {"--delay-ms", std::to_string(n.delay_ms)});
    children.push_back(std::make_unique<ChildNode>(program, args));
    if (!children.back()->running()) {
      return InternalError("a node process did not start (" + program + " node serve)");
    }
    remote::NodeEndpoint e;
    e.address = "127.0.0.1:" + std::to_string(children.back()->port());
    e.insecure = true;
    e.token = kToken;
    e.deadline_ms = 60000;
    remote_options.nodes.push_back(e);
  }
  remote_options.compact = compact;
  remote_options.tile_pixels = config.tile_pixels;
  MSRF_ASSIGN_OR_RETURN(std::unique_ptr<remote::RemoteLevelExecutor> executor,
                        remote::RemoteLevelExecutor::Create(remote_options));
  Outcome out;
  std::vector<double> errors;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < images.size(); ++i) {
    MSRF_ASSIGN_OR_RETURN(Detections d, Detect(images[i], model, options, cv::Mat(), *executor));
    out.identical += ToJson(d, model, options, images[i].size()) == local_json[i];
    const remote::RunReport r = executor->last_run();
    if (r.measured_makespan_ms > 0) {
      errors.push_back(std::abs(r.predicted_makespan_ms - r.measured_makespan_ms) / r.measured_makespan_ms);
    }
    out.bytes += r.bytes_sent + r.bytes_received;
    out.plans.push_back(r.ran_slot);
    out.predicted_ms.push_back(r.predicted_makespan_ms);
    out.measured_ms.push_back(r.measured_makespan_ms);
    for (int slot : r.ran_slot) (slot == 0 ? out.levels_local : out.levels_remote) += 1;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!errors.empty()) {
    double sum = 0;
    for (double e : errors) sum += e;
    out.mean_error = sum / static_cast<double>(errors.size());
    std::sort(errors.begin(), errors.end());
    out.median_error = errors[errors.size() / 2];
  }
  return out;
}

int RunOffload(const OffloadArgs& args, Context& ctx) {
  if (static_cast<int>(args.slowdowns.size()) != args.nodes ||
      static_cast<int>(args.delays_ms.size()) != args.nodes) {
    return ctx.Fail(kCommand, InvalidArgumentError("--slowdowns and --delays-ms need one value per "
                                                   "node (--nodes " + std::to_string(args.nodes) + ")"));
  }
  if (args.tile_pixels != 0 && args.tile_pixels < 4096) {
    return ctx.Fail(kCommand, InvalidArgumentError("--tile-pixels must be 0 (no tiles) or at "
                                                   "least 4096, got " +
                                                   std::to_string(args.tile_pixels)));
  }
  if (!args.out.empty()) {
    const Status st = CheckWritablePath(args.out);
    if (!st.ok()) return ctx.Fail(kCommand, st.WithContext("--out"));
  }
  Result<ShapeModel> model = args.model.empty() ? BuiltinModel() : LoadShapeModel(args.model);
  if (!model.ok()) return ctx.Fail(kCommand, model.status().WithContext("--model"));

  // The token file the nodes read; removed at the end.
  const std::string token_file =
      (std::filesystem::temp_directory_path() / ("msrf-bench-offload-" + std::to_string(getpid()))).string();
  {
    std::ofstream token(token_file);
    token << kToken << "\n";
  }
  struct Cleanup {
    std::string path;
    ~Cleanup() { std::filesystem::remove(path); }
  } cleanup{token_file};

  const DetectOptions options;
  std::vector<cv::Mat> images;
  std::vector<std::string> local_json;
  for (int i = 0; i < args.images; ++i) {
    TargetSceneOptions so;
    so.size = {args.width, args.height};
    so.seed = static_cast<uint64_t>(i + 1);
    so.base_size = 0.3 * std::min(args.width, args.height);
    images.push_back(DrawTargetScene(model->points, so).image);
  }
  const auto local_start = std::chrono::steady_clock::now();
  for (const cv::Mat& image : images) {
    Result<Detections> d = Detect(image, *model, options);
    if (!d.ok()) return ctx.Fail(kCommand, d.status());
    local_json.push_back(ToJson(*d, *model, options, image.size()));
  }
  const double local_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - local_start).count();

  std::vector<Config> configs;
  configs.push_back({"uniform", std::vector<NodeSetup>(static_cast<size_t>(args.nodes)), true});
  Config uneven{"uneven", {}, true};
  for (int k = 0; k < args.nodes; ++k) {
    uneven.nodes.push_back({args.slowdowns[static_cast<size_t>(k)], args.delays_ms[static_cast<size_t>(k)], 0});
  }
  configs.push_back(uneven);
  // The fastest node slows down by slow_factor about half-way through the batch: after its
  // calibration call and roughly one level per image.
  size_t fastest = 0;
  for (size_t k = 1; k < uneven.nodes.size(); ++k) {
    if (uneven.nodes[k].slowdown < uneven.nodes[fastest].slowdown) fastest = k;
  }
  Config slowed = uneven;
  slowed.nodes[fastest].slowdown *= args.slow_factor;
  slowed.nodes[fastest].slowdown_after = 1 + args.images / 2;
  slowed.name = "slowed mid-batch, re-plan";
  configs.push_back(slowed);
  slowed.name = "slowed mid-batch, first plan kept";
  slowed.replan = false;
  configs.push_back(slowed);
  if (args.tile_pixels > 0) {
    // Uniform nodes again, with the large levels split into tiles over them.
    Config tiled = configs[0];
    tiled.name = "uniform, tiled";
    tiled.tile_pixels = args.tile_pixels;
    configs.push_back(tiled);
  }

  char line[512];
  std::snprintf(line, sizeof(line), "msrf bench offload: %d images %dx%d, %d nodes (slowdowns",
                args.images, args.width, args.height, args.nodes);
  ctx.out << line;
  for (size_t k = 0; k < uneven.nodes.size(); ++k) {
    std::snprintf(line, sizeof(line), " %.1fx/%dms", uneven.nodes[k].slowdown, uneven.nodes[k].delay_ms);
    ctx.out << line;
  }
  ctx.out << " when uneven), payloads " << (args.compact ? "compact" : "exact") << "\n";
  std::snprintf(line, sizeof(line), "%-36s %9s %9s %10s %10s %12s %9s %8s\n", "configuration",
                "seconds", "vs local", "pred err", "median err", "bytes moved", "levels", "same");
  ctx.out << line;
  std::snprintf(line, sizeof(line), "%-36s %9.2f %9s %10s %10s %12s %9s %8s\n", "local", local_seconds,
                "1.00x", "", "", "", "", "");
  ctx.out << line;

  nlohmann::ordered_json report;
  report["schema"] = 1;
  report["images"] = args.images;
  report["size"] = {args.width, args.height};
  report["local_seconds"] = local_seconds;
  report["compact"] = args.compact;
  std::vector<Outcome> outcomes;
  for (const Config& config : configs) {
    Result<Outcome> o = RunConfig(config, images, local_json, *model, options, token_file,
                                  args.node_program.empty() ? SelfPath() : args.node_program,
                                  args.compact);
    if (!o.ok()) return ctx.Fail(kCommand, o.status());
    outcomes.push_back(*o);
    std::snprintf(line, sizeof(line), "%-36s %9.2f %8.2fx %9.1f%% %9.1f%% %12lld %4d+%-4d %5d/%d\n",
                  config.name.c_str(), o->seconds, o->seconds / local_seconds, 100 * o->mean_error,
                  100 * o->median_error, static_cast<long long>(o->bytes), o->levels_remote,
                  o->levels_local, o->identical, args.images);
    ctx.out << line;
    nlohmann::ordered_json c;
    c["name"] = config.name;
    c["seconds"] = o->seconds;
    c["time_vs_local"] = o->seconds / local_seconds;
    c["makespan_error_mean"] = o->mean_error;
    c["makespan_error_median"] = o->median_error;
    c["bytes_moved"] = o->bytes;
    c["levels_remote"] = o->levels_remote;
    c["levels_local"] = o->levels_local;
    c["tile_pixels"] = config.tile_pixels;
    c["identical_to_local"] = o->identical;
    c["ran_on"] = o->plans;  // per image, per level: 0 the coordinator, k the k-th node
    c["predicted_ms"] = o->predicted_ms;
    c["measured_ms"] = o->measured_ms;
    report["configurations"].push_back(c);
  }
  const double gain = outcomes[3].seconds / outcomes[2].seconds;
  report["rebalancing_gain"] = gain;
  std::snprintf(line, sizeof(line),
                "re-planning after a node slowed %.0fx mid-batch: %.2fx faster than keeping the first plan\n",
                args.slow_factor, gain);
  ctx.out << line;
  ctx.out << "levels: remote+local; pred err: |predicted - measured| / measured makespan of the "
             "level work, per image; same: outputs equal to the local run's"
          << (args.tile_pixels > 0 ? "; a tiled level counts once per tile" : "")
          << (args.compact ? " (compact payloads are lossy)" : "") << "\n";
  if (!args.out.empty()) {
    const Status st = WriteFileAtomically(args.out, report.dump(2) + "\n");
    if (!st.ok()) return ctx.Fail(kCommand, st);
  }
  return kExitOk;
}

}  // namespace

void AddBenchOffloadCommand(CLI::App& bench, Context& context) {
  auto args = std::make_shared<OffloadArgs>();
  CLI::App* cmd = bench.add_subcommand(
      "offload", "Edge nodes on this machine, made uneven on purpose: predicted vs measured "
                 "makespan, time against a local run, bytes moved, and the gain of re-planning "
                 "when a node slows down mid-batch.");
  cmd->add_option("--nodes", args->nodes, "Node processes to start")->check(CLI::Range(1, 16))->capture_default_str();
  cmd->add_option("--images", args->images, "Images in the batch")->check(CLI::Range(2, 1000))->capture_default_str();
  cmd->add_option("--width", args->width, "Image width")->check(CLI::Range(64, 8192))->capture_default_str();
  cmd->add_option("--height", args->height, "Image height")->check(CLI::Range(64, 8192))->capture_default_str();
  cmd->add_option("--slowdowns", args->slowdowns, "Per node: work takes this many times as long")
      ->delimiter(',')
      ->check(CLI::Range(1.0, 1000.0));
  cmd->add_option("--delays-ms", args->delays_ms, "Per node: delay added to every answer")
      ->delimiter(',')
      ->check(CLI::Range(0, 60000));
  cmd->add_option("--slow-factor", args->slow_factor, "How much the fastest node slows mid-batch")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  cmd->add_flag("--compact", args->compact, "Quantised, compressed level payloads");
  cmd->add_option("--tile-pixels", args->tile_pixels,
                  "Also run the uniform nodes with levels above this many pixels split into "
                  "tiles (0: not)")
      ->check(CLI::Range(0, 1 << 30));
  cmd->add_option("--model", args->model, "Target shape (default: a bottle drawn in code)");
  cmd->add_option("--out", args->out, "Also write the figures as JSON");
  cmd->add_option("--node-program", args->node_program, "The msrf binary the nodes run")
      ->group("");
  cmd->callback([args, &context] {
    context.action = [args, &context] { return RunOffload(*args, context); };
  });
}

}  // namespace msrf::cli
