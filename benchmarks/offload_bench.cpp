// msrf_offload_bench: a batch of images through local edge nodes made uneven on purpose,
// against a local run: predicted vs measured makespan, time, bytes, and what re-planning
// gains when a node slows down mid-batch. The nodes are `msrf node serve` processes; shaped
// links need a network namespace, in which this program runs itself again.
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <new>

#include "msrf/child_node.h"
#include "msrf/cli.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/remote/remote_executor.h"
#include "msrf/synth/scene.h"

namespace msrf {
namespace {

using cli::ChildNode;
using cli::RunProgram;
using cli::SelfPath;

constexpr const char* kProgram = "msrf_offload_bench";
using cli::kExitFailure;
using cli::kExitOk;
using cli::kExitUsage;

// Where the benchmark reports: results on `out`, one line per error on `err`.
struct Context {
  std::ostream& out;
  std::ostream& err;

  // Prints "msrf_offload_bench: error: <message>" and returns the exit code for `status`.
  int Fail(const Status& status) const {
    std::string message = status.message();
    std::replace(message.begin(), message.end(), '\n', ' ');
    err << kProgram << ": error: " << message << "\n";
    return cli::ExitCodeFor(status);
  }
};
constexpr const char* kToken = "bench-offload-token-0123456789";

struct OffloadArgs {
  int nodes = 3;
  int images = 16;
  int width = 1024;
  int height = 768;
  double uniform_slowdown = 2.0;
  // Per node; empty: the defaults MakeDefaults gives for `nodes`.
  std::vector<double> slowdowns;
  std::vector<int> delays_ms;
  std::vector<double> links_mbit;
  bool links_given = false;
  double slow_factor = 8.0;
  bool compact = false;
  int tile_pixels = 0;  // > 0: a "tiled" configuration too
  std::string model;
  std::string out;
  std::string node_program;  // the msrf beside this program unless given
  // Set when this process runs in a network namespace the benchmark made: the namespace the
  // benchmark was started in, which this process's must differ from.
  std::string parent_netns;
};

// Node k of the uneven fleet: 2^(k+1) times slower than this machine, answers delayed by
// 0, 2, 8, 32 ... ms, behind links of unlimited, 100, 25, 6.25 ... Mbit/s.
void MakeDefaults(OffloadArgs& args) {
  if (args.slowdowns.empty()) {
    for (int k = 0; k < args.nodes; ++k)
      args.slowdowns.push_back(std::min(1000.0, std::pow(2.0, k + 1)));
  }
  if (args.delays_ms.empty()) {
    for (int k = 0; k < args.nodes; ++k) args.delays_ms.push_back(k == 0 ? 0 : 2 << (2 * (k - 1)));
  }
  if (args.links_mbit.empty()) {
    for (int k = 0; k < args.nodes; ++k)
      args.links_mbit.push_back(k == 0 ? 0.0 : 100.0 / std::pow(4.0, k - 1));
  }
}

struct NodeSetup {
  double slowdown = 1.0;
  int delay_ms = 0;
  double link_mbit = 0.0;  // 0: not shaped
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
  double level_seconds = 0.0;  // sum over images of the measured makespan of the level work
  int identical = 0;
  double mean_error = 0.0;  // mean |predicted - measured| / measured makespan
  double median_error = 0.0;
  int64_t bytes = 0;  // sent + received
  int levels_remote = 0;
  int levels_local = 0;
  std::vector<std::vector<int>> plans;  // per image: the slot each level ran on
  std::vector<double> predicted_ms, measured_ms;
  std::vector<std::vector<double>> level_predicted_ms, level_measured_ms;
};

// Links shaped with tc in a network namespace of this process's own (see RunOffload): the
// loopback gets an htb root whose default class is unlimited, and node k a class of its own
// with a tbf of the node's rate, which both directions of its port's traffic go through
// (one shared medium, as on a radio link). The MTU is set to Ethernet's so that tbf's
// bucket holds whole packets.
class LoopbackLinks {
 public:
  static constexpr const char* kTc = "tc";

  Status Setup(const std::vector<double>& links_mbit) {
    MSRF_RETURN_IF_ERROR(Run({"ip", "link", "set", "lo", "mtu", "1500", "up"}));
    MSRF_RETURN_IF_ERROR(
        Run({kTc, "qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "1"}));
    MSRF_RETURN_IF_ERROR(Class(1));
    for (size_t k = 0; k < links_mbit.size(); ++k) {
      if (links_mbit[k] <= 0) continue;
      const int id = 10 + static_cast<int>(k);
      MSRF_RETURN_IF_ERROR(Class(id));
      char rate[32];
      std::snprintf(rate, sizeof(rate), "%.0fkbit", 1000.0 * links_mbit[k]);
      MSRF_RETURN_IF_ERROR(
          Run({kTc, "qdisc", "add", "dev", "lo", "parent", "1:" + std::to_string(id), "handle",
               std::to_string(id) + ":", "tbf", "rate", rate, "burst", "32kb", "limit", "8mb"}));
    }
    return Status::Ok();
  }

  // Node k's traffic (to and from `port`) through its link.
  Status Route(size_t k, int port) {
    for (const char* direction : {"dport", "sport"}) {
      MSRF_RETURN_IF_ERROR(Run({kTc, "filter", "add", "dev", "lo", "parent", "1:", "protocol", "ip",
                                "prio", "1", "u32", "match", "ip", direction, std::to_string(port),
                                "0xffff", "flowid", "1:" + std::to_string(10 + k)}));
    }
    return Status::Ok();
  }

 private:
  Status Class(int id) {
    return Run({kTc, "class", "add", "dev", "lo", "parent", "1:", "classid",
                "1:" + std::to_string(id), "htb", "rate", "40gbit", "quantum", "60000"});
  }
  static Status Run(const std::vector<std::string>& argv) {
    std::string command;
    for (const std::string& a : argv) command += (command.empty() ? "" : " ") + a;
    const int rc = RunProgram(argv);
    return rc == 0 ? Status::Ok()
                   : InternalError("shaping the links failed: '" + command + "' exited with " +
                                   std::to_string(rc));
  }
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
                          const std::string& program, bool compact, LoopbackLinks* links) {
  std::vector<std::unique_ptr<ChildNode>> children;
  remote::RemoteOptions remote_options;
  remote_options.replan = config.replan;
  for (size_t k = 0; k < config.nodes.size(); ++k) {
    const NodeSetup& n = config.nodes[k];
    std::vector<std::string> args = {"--listen", "127.0.0.1:0", "--insecure", "--token-file",
                                     token_file, "--threads",   "1"};
    if (n.slowdown > 1.0) args.insert(args.end(), {"--slowdown", std::to_string(n.slowdown)});
    if (n.slowdown_after > 0) {
      args.insert(args.end(), {"--slowdown-after", std::to_string(n.slowdown_after)});
    }
    if (n.delay_ms > 0) args.insert(args.end(), {"--delay-ms", std::to_string(n.delay_ms)});
    children.push_back(std::make_unique<ChildNode>(program, args));
    if (!children.back()->running()) {
      return InternalError("a node process did not start (" + program + " node serve)");
    }
    if (n.link_mbit > 0 && links) MSRF_RETURN_IF_ERROR(links->Route(k, children.back()->port()));
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
      errors.push_back(std::abs(r.predicted_makespan_ms - r.measured_makespan_ms) /
                       r.measured_makespan_ms);
    }
    out.level_seconds += 1e-3 * r.measured_makespan_ms;
    out.bytes += r.bytes_sent + r.bytes_received;
    out.plans.push_back(r.ran_slot);
    out.predicted_ms.push_back(r.predicted_makespan_ms);
    out.measured_ms.push_back(r.measured_makespan_ms);
    out.level_predicted_ms.push_back(r.predicted_ms);
    out.level_measured_ms.push_back(r.measured_ms);
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

// The msrf the nodes run: --node-program, else the one beside this program.
std::string NodeProgram(const OffloadArgs& args) {
  if (!args.node_program.empty()) return args.node_program;
  return (std::filesystem::path(SelfPath()).parent_path() / "msrf").string();
}

// This process's network namespace ("net:[INODE]"), or "" when it cannot be read.
std::string NetNamespace() {
  std::error_code error;
  const std::filesystem::path link = std::filesystem::read_symlink("/proc/self/ns/net", error);
  return error ? std::string() : link.string();
}

// Whether this process's network namespace has no device but the loopback, as a namespace
// just made has (/proc/self/net/dev lists the current namespace's devices).
bool OnlyLoopback() {
  std::ifstream dev("/proc/self/net/dev");
  std::string line;
  int devices = 0;
  bool loopback = false;
  while (std::getline(dev, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const size_t begin = line.find_first_not_of(' ');
    ++devices;
    loopback |= line.substr(begin, colon - begin) == "lo";
  }
  return devices == 1 && loopback;
}

// The arguments that run this benchmark again as given (for the run inside the namespace).
std::vector<std::string> Argv(const OffloadArgs& args) {
  auto list = [](const auto& values) {
    std::string text;
    for (const auto& v : values) text += (text.empty() ? "" : ",") + std::to_string(v);
    return text;
  };
  std::vector<std::string> argv = {"--nodes",
                                   std::to_string(args.nodes),
                                   "--images",
                                   std::to_string(args.images),
                                   "--width",
                                   std::to_string(args.width),
                                   "--height",
                                   std::to_string(args.height),
                                   "--uniform-slowdown",
                                   std::to_string(args.uniform_slowdown),
                                   "--slowdowns",
                                   list(args.slowdowns),
                                   "--delays-ms",
                                   list(args.delays_ms),
                                   "--links-mbit",
                                   list(args.links_mbit),
                                   "--slow-factor",
                                   std::to_string(args.slow_factor),
                                   "--tile-pixels",
                                   std::to_string(args.tile_pixels),
                                   "--in-netns",
                                   NetNamespace()};
  if (args.compact) argv.push_back("--compact");
  for (const auto& [flag, value] :
       {std::pair<const char*, const std::string&>{"--model", args.model},
        {"--out", args.out},
        {"--node-program", args.node_program}}) {
    if (!value.empty()) argv.insert(argv.end(), {flag, value});
  }
  return argv;
}

// The command that runs the rest of its arguments in a new user and network namespace.
std::vector<std::string> Unshare() {
  return {"unshare", "--user", "--map-root-user", "--net", "--"};
}

// Whether this machine lets an unprivileged process make a network namespace and shape its
// loopback with tc tbf.
bool CanShapeLinks() {
  std::vector<std::string> probe = Unshare();
  probe.insert(probe.end(),
               {"sh", "-c",
                "ip link set lo up && tc qdisc add dev lo root handle 1: htb default 1 && "
                "tc class add dev lo parent 1: classid 1:2 htb rate 1gbit && "
                "tc qdisc add dev lo parent 1:2 handle 2: tbf rate 1mbit burst 32kb limit 1mb"});
  return RunProgram(probe) == 0;
}

int RunOffload(OffloadArgs args, const Context& ctx) {
  MakeDefaults(args);
  for (const auto& [name, size] :
       {std::pair<const char*, size_t>{"--slowdowns", args.slowdowns.size()},
        {"--delays-ms", args.delays_ms.size()},
        {"--links-mbit", args.links_mbit.size()}}) {
    if (static_cast<int>(size) != args.nodes) {
      return ctx.Fail(
          InvalidArgumentError(std::string(name) + " needs one value per node (--nodes " +
                               std::to_string(args.nodes) + "), got " + std::to_string(size)));
    }
  }
  if (args.tile_pixels != 0 && args.tile_pixels < 4096) {
    return ctx.Fail(
        InvalidArgumentError("--tile-pixels must be 0 (no tiles) or at "
                             "least 4096, got " +
                             std::to_string(args.tile_pixels)));
  }
  if (!args.out.empty()) {
    const Status st = CheckWritablePath(args.out);
    if (!st.ok()) return ctx.Fail(st.WithContext("--out"));
  }
  Result<ShapeModel> model = args.model.empty() ? BuiltinModel() : LoadShapeModel(args.model);
  if (!model.ok()) return ctx.Fail(model.status().WithContext("--model"));

  // Shaped links need a network namespace of our own: run again inside one.
  const bool shaped =
      std::any_of(args.links_mbit.begin(), args.links_mbit.end(), [](double m) { return m > 0; });
  const bool in_netns = !args.parent_netns.empty();
  // The namespace's loopback is reshaped: make sure it is not the machine's.
  const std::string netns = in_netns ? NetNamespace() : std::string();
  if (in_netns && (netns.empty() || netns == args.parent_netns || !OnlyLoopback())) {
    return ctx.Fail(FailedPreconditionError("--in-netns: not in a network namespace of its own"));
  }
  if (shaped && !in_netns) {
    if (CanShapeLinks()) {
      std::vector<std::string> argv = Unshare();
      argv.push_back(SelfPath());
      const std::vector<std::string> rest = Argv(args);
      argv.insert(argv.end(), rest.begin(), rest.end());
      const int rc = RunProgram(
          argv, [&ctx](const std::string& text) { ctx.out << text << std::flush; },
          [&ctx](const std::string& text) { ctx.err << text << std::flush; });
      return rc == 0 ? kExitOk
                     : (rc == 127 ? ctx.Fail(InternalError("could not run unshare")) : rc);
    }
    if (args.links_given) {
      return ctx.Fail(FailedPreconditionError(
          "--links-mbit: shaping links needs an unprivileged network namespace "
          "(unshare --user --net) and tc with htb and tbf, which this machine "
          "does not allow; pass --links-mbit 0,... to run without"));
    }
    ctx.out
        << "links not shaped: this machine does not allow an unprivileged network namespace with "
           "tc tbf (pass --links-mbit to require it)\n";
    std::fill(args.links_mbit.begin(), args.links_mbit.end(), 0.0);
  }
  LoopbackLinks links;
  if (in_netns) {
    const Status st = links.Setup(args.links_mbit);
    if (!st.ok()) return ctx.Fail(st);
  }

  // The token file the nodes read; removed at the end.
  const std::string token_file =
      (std::filesystem::temp_directory_path() / ("msrf-bench-offload-" + std::to_string(getpid())))
          .string();
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
    if (!d.ok()) return ctx.Fail(d.status());
    local_json.push_back(ToJson(*d, *model, options, image.size()));
  }
  const double local_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - local_start).count();

  std::vector<Config> configs;
  NodeSetup uniform_node;
  uniform_node.slowdown = args.uniform_slowdown;
  configs.push_back(
      {"uniform", std::vector<NodeSetup>(static_cast<size_t>(args.nodes), uniform_node), true});
  Config uneven{"uneven", {}, true};
  for (size_t k = 0; k < static_cast<size_t>(args.nodes); ++k) {
    uneven.nodes.push_back({args.slowdowns[k], args.delays_ms[k], args.links_mbit[k], 0});
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
  std::snprintf(line, sizeof(line), "msrf bench offload: %d images %dx%d, %d nodes, %s payloads\n",
                args.images, args.width, args.height, args.nodes,
                args.compact ? "compact" : "exact");
  ctx.out << line;
  std::snprintf(
      line, sizeof(line),
      "  uniform: every node %.1fx slower than this machine\n  uneven:", args.uniform_slowdown);
  ctx.out << line;
  for (const NodeSetup& n : uneven.nodes) {
    char link[32] = "unshaped";
    if (n.link_mbit > 0) std::snprintf(link, sizeof(link), "%g Mbit/s", n.link_mbit);
    std::snprintf(line, sizeof(line), " [%.1fx, +%d ms, %s]", n.slowdown, n.delay_ms, link);
    ctx.out << line;
  }
  ctx.out << (shaped ? " (links: tc tbf in a network namespace of the benchmark's own)" : "")
          << "\n";
  std::snprintf(line, sizeof(line), "%-36s %8s %8s %8s %9s %10s %12s %9s %6s\n", "configuration",
                "seconds", "vs local", "level s", "pred err", "median err", "bytes moved", "levels",
                "same");
  ctx.out << line;
  std::snprintf(line, sizeof(line), "%-36s %8.2f %8s\n", "local", local_seconds, "1.00x");
  ctx.out << line;

  nlohmann::ordered_json report;
  report["schema"] = 2;
  report["images"] = args.images;
  report["size"] = {args.width, args.height};
  report["local_seconds"] = local_seconds;
  report["compact"] = args.compact;
  report["links_shaped"] = shaped;
  std::vector<Outcome> outcomes;
  for (const Config& config : configs) {
    Result<Outcome> o = RunConfig(config, images, local_json, *model, options, token_file,
                                  NodeProgram(args), args.compact, in_netns ? &links : nullptr);
    if (!o.ok()) return ctx.Fail(o.status());
    outcomes.push_back(*o);
    std::snprintf(line, sizeof(line),
                  "%-36s %8.2f %7.2fx %8.2f %8.1f%% %9.1f%% %12lld %4d+%-4d %3d/%d\n",
                  config.name.c_str(), o->seconds, o->seconds / local_seconds, o->level_seconds,
                  100 * o->mean_error, 100 * o->median_error, static_cast<long long>(o->bytes),
                  o->levels_remote, o->levels_local, o->identical, args.images);
    ctx.out << line;
    nlohmann::ordered_json c;
    c["name"] = config.name;
    for (const NodeSetup& n : config.nodes) {
      c["nodes"].push_back({{"slowdown", n.slowdown},
                            {"delay_ms", n.delay_ms},
                            {"link_mbit", n.link_mbit},
                            {"slowdown_after_calls", n.slowdown_after}});
    }
    c["replan"] = config.replan;
    c["seconds"] = o->seconds;
    c["time_vs_local"] = o->seconds / local_seconds;
    c["level_seconds"] = o->level_seconds;
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
    c["level_predicted_ms"] = o->level_predicted_ms;  // per image, per level, where it ran
    c["level_measured_ms"] = o->level_measured_ms;
    report["configurations"].push_back(c);
  }
  const double gain = outcomes[3].seconds / outcomes[2].seconds;
  const double level_gain = outcomes[3].level_seconds / std::max(1e-9, outcomes[2].level_seconds);
  report["rebalancing_gain"] = gain;
  report["rebalancing_gain_levels"] = level_gain;
  std::snprintf(
      line, sizeof(line),
      "re-planning after the fastest node slowed %.0fx mid-batch, against keeping the first "
      "plan: %.2fx on the level work, %.2fx end to end\n",
      args.slow_factor, level_gain, gain);
  ctx.out << line;
  ctx.out << "level s: the level work's makespans summed over the images; pred err: |predicted - "
             "measured| / measured makespan, per image; levels: remote+local; same: outputs equal "
             "to the local run's"
          << (args.tile_pixels > 0 ? "; a tiled level counts once per tile" : "")
          << (args.compact ? " (compact payloads are lossy)" : "") << "\n";
  if (!args.out.empty()) {
    const Status st = WriteFileAtomically(
        args.out, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    if (!st.ok()) return ctx.Fail(st);
  }
  return kExitOk;
}

// The command line: every option of the benchmark, and the hidden ones its own re-run uses.
void AddOptions(CLI::App& app, OffloadArgs& args) {
  app.add_option("--nodes", args.nodes, "Node processes to start")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  app.add_option("--images", args.images, "Images in the batch")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  app.add_option("--width", args.width, "Image width")
      ->check(CLI::Range(64, 8192))
      ->capture_default_str();
  app.add_option("--height", args.height, "Image height")
      ->check(CLI::Range(64, 8192))
      ->capture_default_str();
  app.add_option("--uniform-slowdown", args.uniform_slowdown,
                 "The uniform fleet: every node this many times slower than this machine")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  app.add_option("--slowdowns", args.slowdowns,
                 "The uneven fleet, per node: this many times slower than this machine "
                 "[default: 2,4,8,...]")
      ->delimiter(',')
      ->check(CLI::Range(1.0, 1000.0));
  app.add_option("--delays-ms", args.delays_ms,
                 "The uneven fleet, per node: delay added to every answer [default: 0,2,8,...]")
      ->delimiter(',')
      ->check(CLI::Range(0, 60000));
  app.add_option("--links-mbit", args.links_mbit,
                 "The uneven fleet, per node: link rate, shaped with tc tbf in a network "
                 "namespace of the benchmark's own; 0: not shaped [default: 0,100,25,...; "
                 "unshaped where the machine does not allow it]")
      ->delimiter(',')
      ->check(CLI::Range(0.0, 100000.0))
      ->each([&args](const std::string&) { args.links_given = true; });
  app.add_option("--slow-factor", args.slow_factor, "How much the fastest node slows mid-batch")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  app.add_flag("--compact", args.compact, "Quantised, compressed level payloads");
  app.add_option("--tile-pixels", args.tile_pixels,
                 "Also run the uniform nodes with levels above this many pixels split into "
                 "tiles (0: not)")
      ->check(CLI::Range(0, 1 << 30));
  app.add_option("--model", args.model, "Target shape (default: a bottle drawn in code)");
  app.add_option("--out", args.out, "Also write the figures as JSON");
  app.add_option("--node-program", args.node_program,
                 "The msrf binary the nodes run (default: the msrf beside this program)")
      ->group("");
  app.add_option("--in-netns", args.parent_netns, "Runs in a network namespace the benchmark made")
      ->group("");
}

int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app(
      "Edge nodes on this machine, made uneven on purpose: predicted vs measured "
      "makespan, time against a local run, bytes moved, and the gain of re-planning "
      "when a node slows down mid-batch.",
      kProgram);
  OffloadArgs args;
  AddOptions(app, args);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    std::replace(what.begin(), what.end(), '\n', ' ');
    err << kProgram << ": error: " << what << " (see --help)\n";
    return kExitUsage;
  }
  const Context ctx{out, err};
  try {
    return RunOffload(args, ctx);
  } catch (const std::bad_alloc&) {
    err << kProgram << ": error: out of memory\n";
  } catch (const std::exception& e) {
    err << kProgram << ": internal error: " << e.what() << "\n";
  }
  return kExitFailure;
}

}  // namespace
}  // namespace msrf

int main(int argc, char** argv) { return msrf::Run(argc, argv, std::cout, std::cerr); }
