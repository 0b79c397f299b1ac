// msrf detect IMAGE... --model MODEL... --out RESULT: find the target shapes, group their
// contours, and say how sure it is; in one image (RESULT a JSON file) or several (RESULT a
// folder; IMAGE may be a folder or an @list), with the levels run here or on edge nodes.
// Several models share one pass over each image.
#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
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
#include "msrf/progress.h"

namespace msrf::cli {
namespace {

constexpr const char* kDetectCommand = "detect";

struct DetectArgs {
  std::vector<std::string> images;
  std::vector<std::string> models;
  std::string models_folder;
  std::vector<std::string> edges;
  std::string solver = "relax";
  int max_detections = DetectOptions().max_detections;
  double min_score = DetectOptions().min_score;
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
  CLI::Option* min_score_opt = nullptr;
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
  Status checked;  // of the image file, before any work (CheckImageFile)
};

// The images of IMAGE...: each a path, a folder (its image files, by name) or @LIST (a text
// file naming one image per line; relative paths are taken from the list's folder, blank
// lines and lines starting with # skipped).
struct ImageList {
  std::vector<std::string> paths;
  bool expanded = false;  // a folder or a list was given: the outputs are folders
};

// File names OpenCV reads as images, by extension.
bool HasImageExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* known : {".png", ".jpg", ".jpeg", ".jpe", ".tif", ".tiff", ".bmp", ".pgm",
                            ".ppm", ".pnm", ".pbm", ".webp", ".jp2"}) {
    if (ext == known) return true;
  }
  return false;
}

// The files in `folder` that `keep` accepts, sorted by name; hidden ones skipped.
template <typename Keep>
Result<std::vector<std::string>> FolderFiles(const std::string& folder, Keep keep) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<std::string> out;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const fs::path& path = it->path();
    if (path.filename().string().rfind('.', 0) == 0 || !keep(path)) continue;
    if (it->is_regular_file(error)) out.push_back(path.string());
  }
  if (error) return IoError(folder + ": " + error.message());
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<std::string>> ReadImageList(const std::string& list) {
  MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(list));
  const std::filesystem::path base = std::filesystem::path(list).parent_path();
  std::vector<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first, line.find_last_not_of(" \t\r") + 1 - first);
    const std::filesystem::path path(line);
    out.push_back(path.is_absolute() ? line : (base / path).lexically_normal().string());
  }
  if (out.empty()) return InvalidArgumentError("IMAGE @" + list + ": lists no image");
  return out;
}

Result<ImageList> ExpandImages(const std::vector<std::string>& arguments) {
  ImageList list;
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (argument.size() > 1 && argument[0] == '@') {
      MSRF_ASSIGN_OR_RETURN(std::vector<std::string> listed, ReadImageList(argument.substr(1)));
      list.paths.insert(list.paths.end(), listed.begin(), listed.end());
      list.expanded = true;
    } else if (std::filesystem::is_directory(argument, error)) {
      MSRF_ASSIGN_OR_RETURN(std::vector<std::string> files,
                            FolderFiles(argument, [](const std::filesystem::path& p) {
                              return HasImageExtension(p);
                            }));
      if (files.empty()) return InvalidArgumentError("IMAGE " + argument + ": holds no image file");
      list.paths.insert(list.paths.end(), files.begin(), files.end());
      list.expanded = true;
    } else {
      list.paths.push_back(argument);
    }
  }
  return list;
}

// The files of --model (in order) and of --models FOLDER (model JSONs and images, by name).
Result<std::vector<std::string>> ModelPaths(const DetectArgs& args) {
  std::vector<std::string> paths = args.models;
  if (!args.models_folder.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(args.models_folder, error))
      return InvalidArgumentError("--models " + args.models_folder + ": not a folder");
    MSRF_ASSIGN_OR_RETURN(std::vector<std::string> files,
                          FolderFiles(args.models_folder, [](const std::filesystem::path& p) {
                            return p.extension() == ".json" || HasImageExtension(p);
                          }));
    if (files.empty()) {
      return InvalidArgumentError("--models " + args.models_folder +
                                  ": holds no model (.json, or a drawing or mask image)");
    }
    paths.insert(paths.end(), files.begin(), files.end());
  }
  return paths;
}

// Every model, read; their names must differ, as the results name detections by them.
Result<std::vector<ShapeModel>> ReadModels(const std::vector<std::string>& paths) {
  std::vector<ShapeModel> models;
  std::map<std::string, std::string> names;  // name -> file
  for (const std::string& path : paths) {
    Result<ShapeModel> model = ReadShapeModel(path);
    if (!model.ok()) return model.status().WithContext("--model");
    if (auto [it, added] = names.emplace(model->name, path); !added) {
      return InvalidArgumentError("--model " + path + ": its name '" + model->name +
                                  "' is also that of " + it->second +
                                  "; give one another name (msrf model --name)");
    }
    models.push_back(std::move(model).value());
  }
  return models;
}

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
// In a batch, an image that fails its check is a job that fails, and the others go on.
Result<std::vector<ImageJob>> PlanImages(const DetectArgs& args, const ImageList& images,
                                         bool batch) {
  if (!args.edges.empty() && images.expanded) {
    return InvalidArgumentError(
        "--edges: give the images as paths, not as a folder or an @list, to pair them with edge "
        "maps");
  }
  if (!args.edges.empty() && args.edges.size() != images.paths.size()) {
    return InvalidArgumentError("--edges: give one edge map per image (" +
                                std::to_string(images.paths.size()) + " images, " +
                                std::to_string(args.edges.size()) + " edge maps)");
  }
  std::vector<ImageJob> jobs;
  std::map<std::string, std::string> stems;  // stem -> image
  for (size_t i = 0; i < images.paths.size(); ++i) {
    ImageJob job;
    job.image = images.paths[i];
    if (!args.edges.empty()) job.edges = args.edges[i];
    job.checked = CheckImageFile(job.image, args.max_pixels);
    if (!batch) MSRF_RETURN_IF_ERROR(job.checked);
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
Status CheckJobOutputs(const DetectArgs& args, const std::vector<ImageJob>& jobs, bool batch,
                       const std::vector<std::string>& model_paths) {
  bool out_exists = true, overlay_exists = true, svg_exists = true;
  if (batch) {
    for (const auto& [option, folder, exists] :
         {std::tuple<const char*, const std::string&, bool&>{"--out", args.out, out_exists},
          {"--overlay", args.overlay, overlay_exists},
          {"--svg", args.svg, svg_exists}}) {
      if (!folder.empty()) MSRF_RETURN_IF_ERROR(CheckOutputFolder(option, folder, exists));
    }
  }
  NamedPaths inputs = {{"--nodes", args.nodes}, {"--config", args.config}};
  for (const std::string& path : model_paths) inputs.push_back({"--model", path});
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

// "[x1, y1, x2, y2]" of a box.
std::string BoxText(const cv::Rect2d& box) {
  char text[96];
  std::snprintf(text, sizeof(text), "[%.0f, %.0f, %.0f, %.0f]", box.x, box.y, box.x + box.width,
                box.y + box.height);
  return text;
}

// The line to print for one model's result.
std::string OneModelLine(const Detections& result, const ShapeModel& model) {
  char line[512];
  if (result.detections.empty()) {
    std::snprintf(line, sizeof(line), "no '%s' found, %.1f ms", model.name.c_str(),
                  result.summary.timing.total_ms);
  } else {
    const Detection& best = result.detections.front();
    std::snprintf(line, sizeof(line), "%zu detection(s) of '%s'; best score %.2f at %s, %.1f ms",
                  result.detections.size(), model.name.c_str(), best.score,
                  BoxText(best.box).c_str(), result.summary.timing.total_ms);
  }
  return line;
}

// ... and for several: per model its count and best score.
std::string ModelsLine(const MultiDetections& result, const std::vector<ShapeModel>& models) {
  size_t total = 0;
  std::string per_model;
  char part[256];
  for (size_t m = 0; m < models.size(); ++m) {
    const std::vector<Detection>& found = result.models[m].detections;
    total += found.size();
    if (found.empty()) {
      std::snprintf(part, sizeof(part), "'%s' 0", models[m].name.c_str());
    } else {
      std::snprintf(part, sizeof(part), "'%s' %zu (best %.2f at %s)", models[m].name.c_str(),
                    found.size(), found.front().score, BoxText(found.front().box).c_str());
    }
    per_model += (m == 0 ? "" : ", ") + std::string(part);
  }
  std::snprintf(part, sizeof(part), "; %.1f ms", result.summary.timing.total_ms);
  return std::to_string(total) + " detection(s): " + per_model + part;
}

// Detects in one image and writes its outputs; the line to print. One model gives the
// single-model JSON; several share one pass (DetectModels).
Result<std::string> DetectOne(const ImageJob& job, const std::vector<ShapeModel>& models,
                              const DetectOptions& options, const DetectArgs& args,
                              LevelExecutor& executor) {
  MSRF_ASSIGN_OR_RETURN(InputImage input, ReadInputImage(job.image, job.edges, args.max_pixels));
  DetectionsJsonOptions json_options;
  json_options.include_timing = !args.no_timing;
  json_options.indent = args.pretty ? 1 : -1;
  std::string json, png, svg, line;
  if (models.size() == 1) {
    const ShapeModel& model = models.front();
    MSRF_ASSIGN_OR_RETURN(Detections result,
                          Detect(input.image, model, options, input.edge_strength, executor));
    json = DetectionsToJson(result, model, options, input.image.size(), json_options);
    if (!job.overlay.empty()) {
      MSRF_ASSIGN_OR_RETURN(png, EncodePng(DrawDetections(input.image, result, model)));
    }
    if (!job.svg.empty()) svg = DetectionsToSvg(result, input.image.size());
    line = OneModelLine(result, model);
  } else {
    MSRF_ASSIGN_OR_RETURN(MultiDetections result, DetectModels(input.image, models, options,
                                                               input.edge_strength, executor));
    json = DetectionsToJson(result, models, options, input.image.size(), json_options);
    if (!job.overlay.empty()) {
      MSRF_ASSIGN_OR_RETURN(png, EncodePng(DrawDetections(input.image, result, models)));
    }
    if (!job.svg.empty()) svg = DetectionsToSvg(result, models, input.image.size());
    line = ModelsLine(result, models);
  }
  MSRF_RETURN_IF_ERROR(WriteOutputs({{job.overlay, png}, {job.svg, svg}, {job.out, json}}));
  return line + " -> " + job.out;
}

// An image's failure, named by the image once.
Status NamingImage(const Status& status, const std::string& image) {
  if (status.message().find(image) != std::string::npos) return status;
  return status.WithContext(image);
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
  if (*args.min_score_opt) options.min_score = args.min_score;
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
  Result<DetectOptions> options_or = OptionsFromArgs(args);
  if (!options_or.ok()) return ctx.Fail(kDetectCommand, options_or.status());
  const DetectOptions& options = *options_or;
  if (args.dump_config) {
    ctx.out << DetectOptionsToJson(options) << "\n";
    return kExitOk;
  }
  Status st;

  // Every input and output is checked before any work and before anything is written.
  Result<ImageList> images = ExpandImages(args.images);
  if (!images.ok()) return ctx.Fail(kDetectCommand, images.status());
  const bool batch = images->paths.size() > 1 || images->expanded;
  Result<std::vector<std::string>> model_paths = ModelPaths(args);
  if (!model_paths.ok()) return ctx.Fail(kDetectCommand, model_paths.status());
  Result<std::vector<ImageJob>> jobs = PlanImages(args, *images, batch);
  if (!jobs.ok()) return ctx.Fail(kDetectCommand, jobs.status());
  st = CheckJobOutputs(args, *jobs, batch, *model_paths);
  if (!st.ok()) return ctx.Fail(kDetectCommand, st);
  Result<std::vector<ShapeModel>> models = ReadModels(*model_paths);
  if (!models.ok()) return ctx.Fail(kDetectCommand, models.status());

  const ThreadLimit thread_limit(args.threads);
  Result<LevelExecutorChoice> executor =
      OpenLevelExecutor(args.nodes, false, kDetectCommand, ctx.err);
  if (!executor.ok()) return ctx.Fail(kDetectCommand, executor.status());
  if (batch) {
    st = MakeOutputFolders(args);
    if (!st.ok()) return ctx.Fail(kDetectCommand, st);
  }
  // One image: its failure is the command's. Several: each failure is a line naming the
  // image, its outputs are not written, the others go on, and the exit code says so.
  Progress progress(batch ? static_cast<int>(jobs->size()) : 0);
  size_t failed = 0;
  for (const ImageJob& job : *jobs) {
    Result<std::string> line = job.checked.ok()
                                   ? DetectOne(job, *models, options, args, *executor->executor)
                                   : Result<std::string>(job.checked);
    if (!line.ok() && !batch) return ctx.Fail(kDetectCommand, line.status());
    progress.Clear();
    if (line.ok()) {
      ctx.out << (batch ? job.image + ": " : "") << *line << "\n" << std::flush;
    } else {
      ++failed;
      ctx.Fail(kDetectCommand, NamingImage(line.status(), job.image));
    }
    if (batch) progress.Step(std::filesystem::path(job.image).filename().string());
  }
  PrintNodeSummary(*executor->executor, jobs->size(), ctx.out);
  if (failed > 0) {
    ctx.err << "msrf detect: " << failed << " of " << jobs->size()
            << " images failed; the others' outputs were written\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

void AddDetectCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = app.add_subcommand(
      kDetectCommand,
      "Find target shapes in images: group the image contours that form each, box it and "
      "score it. Writes JSON (and optionally an overlay PNG and an SVG) per image; several "
      "models share one pass over each image.");
  CLI::Option* images =
      cmd->add_option("IMAGE", args->images,
                      "Input image(s), folders of images, or @LIST (a file naming one image per "
                      "line, relative to its folder); with several, --out, --overlay and --svg "
                      "name folders that get <stem>.json, .png and .svg per image, an image that "
                      "fails is reported and the others go on (exit code 1), and edge nodes "
                      "re-plan between images")
          ->check(NonEmptyPath());
  CLI::Option* model = cmd->add_option("--model", args->models,
                                       "Target shape: a model JSON from `msrf model`, a polygon "
                                       "JSON, an outline drawing or a mask; repeat it for several "
                                       "shapes, found in one pass over each image")
                           ->check(NonEmptyPath());
  CLI::Option* models =
      cmd->add_option("--models", args->models_folder,
                      "A folder of target shapes (*.json, drawings, masks), each found as with "
                      "--model; the names of all models must differ")
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
  args->min_score_opt =
      cmd->add_option("--min-score", args->min_score,
                      "Drop detections scoring below this, in [0, 1] (detect.min_score)")
          ->check(FiniteNumber() & CLI::Range(0.0, 1.0))
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
  cmd->callback([args, &context, images, model, models, out] {
    if (!args->dump_config) {
      for (const CLI::Option* o : {images, out}) {
        if (o->count() == 0) throw CLI::RequiredError(o->get_name());
      }
      if (model->count() == 0 && models->count() == 0) throw CLI::RequiredError("--model");
    }
    context.action = [args, &context] { return RunDetect(*args, context); };
  });
}

}  // namespace msrf::cli
