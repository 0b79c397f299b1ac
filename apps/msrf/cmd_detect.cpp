// msrf detect IMAGE... --model MODEL --out RESULT: find the target shape, group its
// contours, and say how sure it is; in one image (RESULT a JSON file) or several (RESULT a
// folder), with the levels run here or on edge nodes.
#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <tuple>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"

namespace msrf::cli {
namespace {

constexpr const char* kDetectCommand = "detect";

struct DetectArgs {
  std::vector<std::string> images;
  std::string model;
  std::vector<std::string> edges;
  std::string solver = "relax";
  int max_detections = DetectOptions().max_detections;
  uint64_t seed = 0;
  int threads = 0;
  int levels = MultiscaleOptions().pyramid.num_levels;
  int64_t max_pixels = ImageReadOptions().max_pixels;
  std::string out;
  std::string overlay;
  std::string svg;
  std::string nodes;
  std::string config;
  bool dump_config = false;
  bool mirror = false;
  std::vector<double> stretches;
  CLI::Option* stretches_opt = nullptr;
  bool no_timing = false;
  bool pretty = false;

  // CLI11 options whose presence matters (a value given on the command line overrides the
  // config file).
  CLI::Option* solver_opt = nullptr;
  CLI::Option* max_detections_opt = nullptr;
  CLI::Option* seed_opt = nullptr;
  CLI::Option* levels_opt = nullptr;
  std::vector<double> forest_scales;
  CLI::Option* forest_scales_opt = nullptr;
};

// What one image is read from and written to.
struct ImageJob {
  std::string image;
  std::string edges;  // may be empty
  std::string out, overlay, svg;
};

// Before any work: `path` is a regular file that can be opened, an image format OpenCV
// recognises from its first bytes, and, where its header tells the size, not over max_pixels.
Status CheckImageFile(const std::string& path, int64_t max_pixels) {
  // A regular file that opens, checked without blocking on a FIFO.
  if (Status st = CheckReadableFile(path); !st.ok()) {
    if (st.code() == StatusCode::kNotFound) return NotFoundError(path + ": cannot be read");
    return st;
  }
  {
    const QuietStderr quiet;
    if (!cv::haveImageReader(path))
      return DataLossError(path + ": not an image (no known image format)");
  }
  const cv::Size size = PeekImageSize(path);
  if (size.width > 0 && int64_t{size.width} * size.height > max_pixels) {
    return OutOfRangeError(path + ": " + std::to_string(size.width) + "x" +
                           std::to_string(size.height) + " is over " + std::to_string(max_pixels) +
                           " pixels (raise --max-pixels to allow it)");
  }
  return Status::Ok();
}

// One image: --out (and --overlay, --svg) name the files. Several: they name folders, which
// get <stem>.json (.png, .svg) per image; the stems must differ.
Result<std::vector<ImageJob>> PlanImages(const DetectArgs& args) {
  const bool batch = args.images.size() > 1;
  if (!args.edges.empty() && args.edges.size() != args.images.size()) {
    return InvalidArgumentError("--edges: give one edge map per image (" +
                                std::to_string(args.images.size()) + " images, " +
                                std::to_string(args.edges.size()) + " edge maps)");
  }
  std::vector<ImageJob> jobs;
  std::map<std::string, std::string> stems;  // stem -> image
  for (size_t i = 0; i < args.images.size(); ++i) {
    ImageJob job;
    job.image = args.images[i];
    if (!args.edges.empty()) job.edges = args.edges[i];
    MSRF_RETURN_IF_ERROR(CheckImageFile(job.image, args.max_pixels));
    if (!batch) {
      job.out = args.out;
      job.overlay = args.overlay;
      job.svg = args.svg;
    } else {
      const std::string stem = std::filesystem::path(job.image).stem().string();
      if (auto [it, added] = stems.emplace(stem, job.image); !added) {
        return InvalidArgumentError(job.image + " and " + it->second +
                                    " would both be written as " + stem +
                                    ".json; rename one, or run them apart");
      }
      auto in = [&stem](const std::string& folder, const char* ext) {
        return folder.empty() ? std::string()
                              : (std::filesystem::path(folder) / (stem + ext)).string();
      };
      job.out = in(args.out, ".json");
      job.overlay = in(args.overlay, ".png");
      job.svg = in(args.svg, ".svg");
    }
    jobs.push_back(job);
  }
  return jobs;
}

// With several images, --out, --overlay and --svg name folders. One that exists must be a
// folder; one that is missing is made only when the work starts, so its nearest existing
// ancestor must take new entries. True in `exists` when the folder is there.
Status CheckOutputFolder(const std::string& option, const std::string& folder, bool& exists) {
  namespace fs = std::filesystem;
  std::error_code error;
  exists = fs::exists(folder, error);
  if (exists && !fs::is_directory(folder, error)) {
    return InvalidArgumentError(option + " " + folder +
                                ": with several images this names a folder, and it is a file");
  }
  if (exists) return Status::Ok();
  fs::path ancestor = fs::absolute(folder, error).lexically_normal();
  while (!ancestor.empty() && !fs::exists(ancestor, error)) ancestor = ancestor.parent_path();
  if (!fs::is_directory(ancestor, error))
    return InvalidArgumentError(option + " " + folder + ": " + ancestor.string() + " is a file");
  const Status st = CheckWritablePath((ancestor / ".msrf-folder-check").string());
  if (!st.ok()) return InvalidArgumentError(option + " " + folder + ": " + st.message());
  return Status::Ok();
}

// Every output of every job against every input and every other output (see
// CheckOutputPaths). Files in folders still to be made cannot be anything yet.
Status CheckJobOutputs(const DetectArgs& args, const std::vector<ImageJob>& jobs) {
  const bool batch = jobs.size() > 1;
  bool out_exists = true, overlay_exists = true, svg_exists = true;
  if (batch) {
    for (const auto& [option, folder, exists] :
         {std::tuple<const char*, const std::string&, bool&>{"--out", args.out, out_exists},
          {"--overlay", args.overlay, overlay_exists},
          {"--svg", args.svg, svg_exists}}) {
      if (!folder.empty()) MSRF_RETURN_IF_ERROR(CheckOutputFolder(option, folder, exists));
    }
  }
  NamedPaths inputs = {{"--model", args.model}, {"--nodes", args.nodes}, {"--config", args.config}};
  NamedPaths outputs;
  for (const ImageJob& job : jobs) {
    inputs.push_back({"IMAGE", job.image});
    inputs.push_back({"--edges", job.edges});
    if (out_exists) outputs.push_back({"--out", job.out});
    if (overlay_exists) outputs.push_back({"--overlay", job.overlay});
    if (svg_exists) outputs.push_back({"--svg", job.svg});
  }
  return CheckOutputPaths(outputs, inputs);
}

// Makes the missing output folders of a batch, once every check has passed.
Status MakeOutputFolders(const DetectArgs& args) {
  for (const auto& [option, folder] :
       {std::pair<const char*, const std::string&>{"--out", args.out},
        {"--overlay", args.overlay},
        {"--svg", args.svg}}) {
    if (folder.empty()) continue;
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) return IoError(std::string(option) + " " + folder + ": " + error.message());
  }
  return Status::Ok();
}

// Detects in one image and writes its outputs; the line to print.
Result<std::string> DetectOne(const ImageJob& job, const ShapeModel& model,
                              const DetectOptions& options, const DetectArgs& args,
                              LevelExecutor& executor) {
  MSRF_ASSIGN_OR_RETURN(InputImage input, ReadInputImage(job.image, job.edges, args.max_pixels));
  MSRF_ASSIGN_OR_RETURN(Detections result,
                        Detect(input.image, model, options, input.edge_strength, executor));

  DetectionsJsonOptions json_options;
  json_options.include_timing = !args.no_timing;
  json_options.indent = args.pretty ? 1 : -1;
  const std::string json =
      DetectionsToJson(result, model, options, input.image.size(), json_options);
  std::string png;
  if (!job.overlay.empty()) {
    MSRF_ASSIGN_OR_RETURN(png, EncodePng(DrawDetections(input.image, result, model)));
  }
  const std::string svg = job.svg.empty() ? "" : DetectionsToSvg(result, input.image.size());
  MSRF_RETURN_IF_ERROR(WriteOutputs({{job.overlay, png}, {job.svg, svg}, {job.out, json}}));

  char line[512];
  if (result.detections.empty()) {
    std::snprintf(line, sizeof(line), "no '%s' found, %.1f ms -> %s", model.name.c_str(),
                  result.summary.timing.total_ms, job.out.c_str());
  } else {
    const Detection& best = result.detections.front();
    std::snprintf(
        line, sizeof(line),
        "%zu detection(s) of '%s'; best score %.2f at [%.0f, %.0f, %.0f, %.0f], %.1f ms -> %s",
        result.detections.size(), model.name.c_str(), best.score, best.box.x, best.box.y,
        best.box.x + best.box.width, best.box.y + best.box.height, result.summary.timing.total_ms,
        job.out.c_str());
  }
  return std::string(line);
}

// The options in effect: the defaults, then the config file, then the flags given.
Result<DetectOptions> OptionsFromArgs(const DetectArgs& args) {
  DetectOptions options;
  if (!args.config.empty()) {
    MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(args.config));
    MSRF_RETURN_IF_ERROR(UpdateDetectOptionsFromJson(text, args.config, options));
  }
  if (*args.solver_opt) {
    Result<SolverKind> solver = ParseSolverKind(args.solver);
    if (!solver.ok()) return solver.status().WithContext("--solver");
    options.solver = *solver;
  }
  if (*args.max_detections_opt) options.max_detections = args.max_detections;
  if (*args.seed_opt) options.seed = args.seed;
  if (*args.levels_opt) options.fragments.pyramid.num_levels = args.levels;
  MSRF_RETURN_IF_ERROR(
      ApplyForestScales(*args.forest_scales_opt, args.forest_scales, options.fragments.edges));
  if (args.mirror) options.mirror = true;
  if (*args.stretches_opt) options.stretches = args.stretches;
  if (!args.edges.empty()) {
    options.fragments.edges.method = EdgeMethod::kSupplied;
  } else if (options.fragments.edges.method == EdgeMethod::kSupplied) {
    return InvalidArgumentError(args.config + ": edges.method 'supplied' needs --edges");
  }
  MSRF_RETURN_IF_ERROR(options.Validate());
  return options;
}

int RunDetect(const DetectArgs& args, Context& ctx) {
  const bool batch = args.images.size() > 1;
  Result<DetectOptions> options_or = OptionsFromArgs(args);
  if (!options_or.ok()) return ctx.Fail(kDetectCommand, options_or.status());
  const DetectOptions& options = *options_or;
  if (args.dump_config) {
    ctx.out << DetectOptionsToJson(options) << "\n";
    return kExitOk;
  }
  Status st;

  // Every input and output is checked before any work and before anything is written.
  Result<std::vector<ImageJob>> jobs = PlanImages(args);
  if (!jobs.ok()) return ctx.Fail(kDetectCommand, jobs.status());
  st = CheckJobOutputs(args, *jobs);
  if (!st.ok()) return ctx.Fail(kDetectCommand, st);
  Result<ShapeModel> model = ReadShapeModel(args.model);
  if (!model.ok()) return ctx.Fail(kDetectCommand, model.status().WithContext("--model"));

  const ThreadLimit thread_limit(args.threads);
  Result<LevelExecutorChoice> executor =
      OpenLevelExecutor(args.nodes, false, kDetectCommand, ctx.err);
  if (!executor.ok()) return ctx.Fail(kDetectCommand, executor.status());
  if (batch) {
    st = MakeOutputFolders(args);
    if (!st.ok()) return ctx.Fail(kDetectCommand, st);
  }
  size_t done = 0;
  for (const ImageJob& job : *jobs) {
    Result<std::string> line = DetectOne(job, *model, options, args, *executor->executor);
    if (!line.ok()) {
      // Each image's outputs are written together once it is done; those of the images
      // before a failure stay, and the line says so.
      const Status& failed = line.status();
      if (!batch || done == 0) return ctx.Fail(kDetectCommand, failed);
      return ctx.Fail(
          kDetectCommand,
          Status(failed.code(), failed.message() + " (the outputs of the " + std::to_string(done) +
                                    " image(s) before it were written)"));
    }
    ++done;
    ctx.out << (batch ? job.image + ": " : "") << *line << "\n" << std::flush;
  }
  PrintNodeSummary(*executor->executor, jobs->size(), ctx.out);
  return kExitOk;
}

}  // namespace

void AddDetectCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = app.add_subcommand(
      kDetectCommand,
      "Find a target shape in an image: group the image contours that form it, box it "
      "and score it. Writes JSON (and optionally an overlay PNG and an SVG).");
  CLI::Option* images =
      cmd->add_option("IMAGE", args->images,
                      "Input image(s); with several, --out, --overlay and --svg name folders that "
                      "get <stem>.json, .png and .svg per image, and edge nodes re-plan between "
                      "images")
          ->check(NonEmptyPath());
  CLI::Option* model = cmd->add_option("--model", args->model,
                                       "Target shape: a model JSON from `msrf model`, a polygon "
                                       "JSON, an outline drawing or a mask")
                           ->check(NonEmptyPath());
  cmd->add_option("--edges", args->edges,
                  "Edge-strength map the size of IMAGE (e.g. a Berkeley *_edges.tif); one per "
                  "image, in the same order")
      ->expected(1, 1 << 20);
  args->solver_opt =
      cmd->add_option("--solver", args->solver, "Inference: relaxation labeling, MCMC or ICM")
          ->check(CLI::IsMember({"relax", "mcmc", "icm"}))
          ->capture_default_str();
  args->max_detections_opt =
      cmd->add_option("--max-detections", args->max_detections, "Most detections reported")
          ->check(CLI::Range(1, 1000))
          ->capture_default_str();
  args->seed_opt = cmd->add_option("--seed", args->seed, "Seed of the stochastic solvers")
                       ->check(SeedNumber())
                       ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  args->levels_opt = cmd->add_option("--levels", args->levels, "Most pyramid levels")
                         ->check(CLI::Range(1, 16))
                         ->capture_default_str();
  args->forest_scales_opt = AddForestScalesOption(cmd, &args->forest_scales);
  cmd->add_option("--max-pixels", args->max_pixels, "Refuse larger images")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30))
      ->capture_default_str();
  CLI::Option* out =
      cmd->add_option("--out", args->out, "Output detections JSON (a folder with several images)")
          ->check(NonEmptyPath());
  cmd->add_option("--overlay", args->overlay, "Also draw the detections over the image (PNG)")
      ->check(NonEmptyPath());
  cmd->add_option("--svg", args->svg, "Also write the grouped contours as SVG paths")
      ->check(NonEmptyPath());
  cmd->add_option("--nodes", args->nodes,
                  "Run the pyramid levels on edge nodes listed in this JSON file (see "
                  "`msrf node serve`); the result is the same as without");
  cmd->add_option("--config", args->config,
                  "JSON options file, any subset of what --dump-config prints; flags override it")
      ->check(NonEmptyPath());
  cmd->add_flag("--dump-config", args->dump_config,
                "Print every option in effect (defaults, --config, flags) as JSON and exit");
  cmd->add_flag("--mirror", args->mirror, "Also search the model's mirror image");
  args->stretches_opt =
      cmd->add_option("--stretches", args->stretches,
                      "Search the model stretched by diag(k, 1/k) for each k, k > 1 wider, for "
                      "objects wider or slimmer than drawn (1 to 8 in [0.25, 4]; 1: only as "
                      "drawn, about 2x faster)")
          ->delimiter(',')
          ->default_str("0.87,1,1.15");
  cmd->add_flag("--no-timing", args->no_timing, "Leave the timing key out of the JSON");
  cmd->add_flag("--pretty", args->pretty, "Indent the JSON");
  // IMAGE, --model and --out are needed unless the options are only printed.
  cmd->callback([args, &context, images, model, out] {
    if (!args->dump_config) {
      for (const CLI::Option* o : {images, model, out}) {
        if (o->count() == 0) throw CLI::RequiredError(o->get_name());
      }
    }
    context.action = [args, &context] { return RunDetect(*args, context); };
  });
}

}  // namespace msrf::cli
