// msrf bench ethz --root DIR --out OUTDIR: the ETHZ Shape Classes protocol, msrf and its
// peers in one run on the same images, edges and models.
#include <tbb/parallel_for.h>
#include <unistd.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/eval/baselines.h"
#include "msrf/eval/curves_plot.h"
#include "msrf/eval/ethz.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/overlay.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf::cli {
namespace {

constexpr const char* kCommand = "bench ethz";

struct BenchArgs {
  std::string root;
  std::string out;
  std::string classes;
  std::string methods = "msrf,ghough,chamfer";
  std::string edges = "berkeley";
  int threads = 0;
  int max_detections = 5;
  std::string nodes;  // run msrf's pyramid levels on these edge nodes
  bool compact = false;
};

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

struct LoadedImage {
  cv::Mat image;
  cv::Mat strength;  // Berkeley strength, when used
  cv::Mat edges;     // level-0 binary edges, for the peers
};

// Progress on stderr when it is a terminal: a bar, the count and the time left.
class Progress {
 public:
  explicit Progress(int total)
      : total_(total), tty_(::isatty(STDERR_FILENO) != 0), start_(Clock::now()) {}
  void Step(const std::string& what) {
    const int done = ++done_;
    if (!tty_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double eta = done > 0 ? elapsed * (total_ - done) / done : 0.0;
    const int width = 30, filled = width * done / std::max(total_, 1);
    std::fprintf(stderr, "\r[%s%s] %d/%d %-22s ETA %d:%02d ",
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), ' ').c_str(), done, total_,
                 what.c_str(), static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  using Clock = std::chrono::steady_clock;
  int total_;
  bool tty_;
  Clock::time_point start_;
  std::atomic<int> done_{0};
  std::mutex mutex_;
};

int RunBench(const BenchArgs& args, Context& ctx) {
  const std::vector<std::string> methods = SplitList(args.methods);
  for (const std::string& m : methods) {
    if (m != "msrf" && m != "ghough" && m != "chamfer") {
      return ctx.Fail(kCommand, InvalidArgumentError("--methods: unknown method '" + m +
                                                     "' (expected msrf, ghough, chamfer)"));
    }
  }
  if (methods.empty()) return ctx.Fail(kCommand, InvalidArgumentError("--methods is empty"));
  if (args.compact && args.nodes.empty()) {
    return ctx.Fail(kCommand, InvalidArgumentError("--compact needs --nodes"));
  }
  Result<LevelExecutorChoice> choice =
      OpenLevelExecutor(args.nodes, args.compact, kCommand, ctx.err);
  if (!choice.ok()) return ctx.Fail(kCommand, choice.status());
  // Only --nodes changes where msrf's levels run; without it Detect runs them here.
  LevelExecutor* executor = args.nodes.empty() ? nullptr : choice->executor.get();
  Result<EthzDataset> data = ReadEthzDataset(args.root, SplitList(args.classes));
  if (!data.ok()) return ctx.Fail(kCommand, data.status().WithContext("--root"));
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec || !std::filesystem::is_directory(args.out)) {
    return ctx.Fail(kCommand,
                    InvalidArgumentError("--out " + args.out + ": cannot create the folder"));
  }
  const std::string summary_path = args.out + "/summary.json";
  const std::string detections_path = args.out + "/detections.json";
  const std::string curves_path = args.out + "/curves.png";
  Status st = CheckOutputPaths({{"--out", summary_path}});
  if (!st.ok()) return ctx.Fail(kCommand, st);

  const bool berkeley = args.edges == "berkeley";

  // Models and images, loaded once.
  std::map<std::string, ShapeModel> models;
  for (const std::string& klass : data->classes) {
    Result<ShapeModel> m = ReadShapeModel(data->model_paths[klass]);
    if (!m.ok()) return ctx.Fail(kCommand, m.status());
    models[klass] = std::move(m).value();
  }
  const ThreadLimit thread_limit(args.threads);
  std::vector<LoadedImage> images(data->images.size());
  EdgeOptions edge_options;
  edge_options.method = berkeley ? EdgeMethod::kSupplied : EdgeMethod::kCanny;
  for (size_t i = 0; i < images.size(); ++i) {
    const EthzImage& e = data->images[i];
    if (berkeley && e.edges_path.empty()) {
      return ctx.Fail(
          kCommand,
          NotFoundError(e.image_path + ": no Berkeley edge map beside it (use --edges canny)"));
    }
    Result<InputImage> in =
        ReadInputImage(e.image_path, berkeley ? e.edges_path : "", ImageReadOptions().max_pixels);
    if (!in.ok()) return ctx.Fail(kCommand, in.status());
    images[i].image = in->image;
    images[i].strength = in->edge_strength;
    const ImageLevel level =
        BuildImageLevel(in->image, in->edge_strength, 0, 1.0, PyramidOptions());
    Result<cv::Mat> edges = (*EdgeDetector::Create(edge_options))->Detect(level);
    if (!edges.ok()) return ctx.Fail(kCommand, edges.status());
    images[i].edges = std::move(edges).value();
  }

  DetectOptions detect_options;
  detect_options.max_detections = args.max_detections;
  if (berkeley) detect_options.fragments.edges.method = EdgeMethod::kSupplied;

  const int jobs = static_cast<int>(methods.size() * data->classes.size() * images.size());
  Progress progress(jobs);
  // detections[method][class] over all images.
  std::vector<std::map<std::string, std::vector<ScoredDetection>>> detections(methods.size());
  std::vector<double> seconds(methods.size(), 0.0);
  for (size_t m = 0; m < methods.size(); ++m) {
    const auto start = std::chrono::steady_clock::now();
    for (const std::string& klass : data->classes) {
      const ShapeModel& model = models[klass];
      std::vector<std::vector<ScoredBox>> per_image(images.size());
      std::vector<Status> errors(images.size());
      auto run_image = [&](size_t i) {
        if (methods[m] == "msrf") {
          Result<Detections> r =
              executor
                  ? Detect(images[i].image, model, detect_options, images[i].strength, *executor)
                  : Detect(images[i].image, model, detect_options, images[i].strength);
          if (!r.ok()) {
            errors[i] = r.status();
          } else {
            for (const Detection& d : r->detections) per_image[i].push_back({d.score, d.box});
          }
        } else if (methods[m] == "chamfer") {
          ChamferOptions o;
          o.max_detections = args.max_detections;
          per_image[i] = ChamferDetect(images[i].edges, model, o);
        } else {
          HoughOptions o;
          o.max_detections = args.max_detections;
          Result<std::vector<ScoredBox>> r =
              GeneralizedHoughDetect(images[i].image, images[i].edges, model, o);
          if (!r.ok()) {
            errors[i] = r.status();
          } else {
            per_image[i] = std::move(r).value();
          }
        }
        progress.Step(methods[m] + " " + klass);
      };
      if (executor && methods[m] == "msrf") {
        // One image at a time: the executor spreads each image's levels over the nodes and
        // re-plans between images.
        for (size_t i = 0; i < images.size(); ++i) run_image(i);
      } else {
        tbb::parallel_for(size_t{0}, images.size(), run_image);
      }
      for (size_t i = 0; i < images.size(); ++i) {
        if (!errors[i].ok())
          return ctx.Fail(kCommand, errors[i].WithContext(data->images[i].image_path));
        for (const ScoredBox& b : per_image[i]) {
          detections[m][klass].push_back({static_cast<int>(i), b.score, b.box});
        }
      }
    }
    seconds[m] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Scoring: PASCAL (IoU >= 0.5) and the looser 20% criterion.
  using Json = nlohmann::ordered_json;
  Json summary;
  summary["schema"] = 1;
  summary["images"] = images.size();
  summary["root"] = args.root;
  summary["edges"] = args.edges;
  summary["methods"] = Json::array();
  std::vector<std::string> titles = data->classes;
  titles.push_back("mean");
  std::vector<PlotSeries> plot;
  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof(line), "%-8s %-9s %-5s", "method", "criterion", "fppi");
  table << line;
  for (const std::string& c : data->classes) {
    std::snprintf(line, sizeof(line), " %10s", c.c_str());
    table << line;
  }
  table << "       mean\n";
  for (size_t m = 0; m < methods.size(); ++m) {
    Json jm;
    jm["name"] = methods[m];
    jm["seconds_per_image_model"] =
        seconds[m] / static_cast<double>(images.size() * data->classes.size());
    Json dr;
    for (const auto& [criterion, iou] :
         {std::pair<std::string, double>{"pascal", 0.5}, {"iou20", 0.2}}) {
      std::vector<DetectionCurve> curves;
      for (const std::string& klass : data->classes) {
        std::vector<std::vector<cv::Rect2d>> gt(images.size());
        for (size_t i = 0; i < images.size(); ++i) {
          if (data->images[i].klass == klass) gt[i] = data->images[i].boxes;
        }
        curves.push_back(ScoreDetections(detections[m][klass], gt, iou));
      }
      Json at;
      for (double f : {0.3, 0.4}) {
        Json per_class;
        double mean = 0;
        std::snprintf(line, sizeof(line), "%-8s %-9s %-5.1f", methods[m].c_str(), criterion.c_str(),
                      f);
        table << line;
        for (size_t c = 0; c < curves.size(); ++c) {
          const double rate = curves[c].RateAtFppi(f);
          per_class[data->classes[c]] = rate;
          mean += rate;
          std::snprintf(line, sizeof(line), " %10.3f", rate);
          table << line;
        }
        mean /= static_cast<double>(curves.size());
        per_class["mean"] = mean;
        std::snprintf(line, sizeof(line), " %10.3f\n", mean);
        table << line;
        std::snprintf(line, sizeof(line), "%.1f", f);
        at[line] = per_class;
      }
      dr[criterion] = at;
      if (criterion == "pascal") {
        PlotSeries s{methods[m], curves};
        s.curves.push_back(MeanCurve(curves));
        plot.push_back(std::move(s));
      }
    }
    jm["dr"] = dr;
    summary["methods"].push_back(jm);
  }

  Json all;
  all["schema"] = 1;
  all["images"] = Json::array();
  for (const EthzImage& e : data->images) {
    Json boxes = Json::array();
    for (const cv::Rect2d& b : e.boxes) boxes.push_back({b.x, b.y, b.x + b.width, b.y + b.height});
    all["images"].push_back(
        {{"class", e.klass}, {"name", e.name}, {"path", e.image_path}, {"ground_truth", boxes}});
  }
  all["methods"] = Json::array();
  for (size_t m = 0; m < methods.size(); ++m) {
    Json list = Json::array();
    for (const std::string& klass : data->classes) {
      for (const ScoredDetection& d : detections[m][klass]) {
        list.push_back(
            {{"model", klass},
             {"image", d.image},
             {"score", d.score},
             {"box", {d.box.x, d.box.y, d.box.x + d.box.width, d.box.y + d.box.height}}});
      }
    }
    all["methods"].push_back({{"name", methods[m]}, {"detections", list}});
  }
  Result<std::string> png = EncodePng(DrawDetectionCurves(titles, plot));
  if (!png.ok()) return ctx.Fail(kCommand, png.status());
  st = WriteOutputs({{detections_path, all.dump() + "\n"},
                     {curves_path, *png},
                     {summary_path, summary.dump(2) + "\n"}});
  if (!st.ok()) return ctx.Fail(kCommand, st);

  ctx.out << "ETHZ " << images.size() << " images, " << data->classes.size()
          << " models; detection rate at FPPI (" << args.edges << " edges)\n"
          << table.str();
  for (size_t m = 0; m < methods.size(); ++m) {
    std::snprintf(line, sizeof(line), "%s: %.3f s per image per model\n", methods[m].c_str(),
                  seconds[m] / static_cast<double>(images.size() * data->classes.size()));
    ctx.out << line;
  }
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
  ctx.out << "-> " << summary_path << ", " << detections_path << ", " << curves_path << "\n";
  return kExitOk;
}

}  // namespace

void AddBenchCommand(CLI::App& app, Context& context) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks on shape datasets.");
  bench->require_subcommand(1);
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = bench->add_subcommand(
      "ethz",
      "The ETHZ Shape Classes protocol: every class's hand-drawn model on every image, "
      "detection rate vs false positives per image, msrf and its peers side by side.");
  cmd->add_option("--root", args->root, "Dataset root with the ETHZ v1.2 layout")->required();
  cmd->add_option("--out", args->out, "Output folder (summary.json, detections.json, curves.png)")
      ->required();
  cmd->add_option("--classes", args->classes,
                  "Comma-separated subset, e.g. mugs,swans (default: all)");
  cmd->add_option("--methods", args->methods, "Comma-separated: msrf, ghough, chamfer")
      ->capture_default_str();
  cmd->add_option("--edges", args->edges,
                  "Edge maps: the Berkeley maps beside the images, or Canny")
      ->check(CLI::IsMember({"berkeley", "canny"}))
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--max-detections", args->max_detections, "Detections per image per model")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
#if MSRF_WITH_REMOTE
  cmd->add_option("--nodes", args->nodes,
                  "Run msrf's pyramid levels on the edge nodes of this "
                  "nodes file (see msrf node serve)");
  cmd->add_flag("--compact", args->compact, "With --nodes: compact (lossy) level payloads");
#endif
  cmd->callback(
      [args, &context] { context.action = [args, &context] { return RunBench(*args, context); }; });
#if MSRF_WITH_REMOTE
  AddBenchOffloadCommand(*bench, context);
#endif
}

}  // namespace msrf::cli
