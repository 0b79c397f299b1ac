// msrf detect IMAGE --model MODEL --out RESULT.json: find the target shape, group its
// contours, and say how sure it is.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/overlay.h"

namespace msrf::cli {
namespace {

constexpr const char* kCommand = "detect";

struct DetectArgs {
  std::string image;
  std::string model;
  std::string edges;
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
  bool mirror = false;
  bool no_timing = false;
  bool pretty = false;
};

int RunDetect(const DetectArgs& args, Context& ctx) {
  Status st = CheckOutputPaths({{"--out", args.out}, {"--overlay", args.overlay}, {"--svg", args.svg}});
  if (!st.ok()) return ctx.Fail(kCommand, st);

  DetectOptions options;
  Result<SolverKind> solver = ParseSolverKind(args.solver);
  if (!solver.ok()) return ctx.Fail(kCommand, solver.status().WithContext("--solver"));
  options.solver = *solver;
  options.max_detections = args.max_detections;
  options.seed = args.seed;
  options.mirror = args.mirror;
  options.fragments.pyramid.num_levels = args.levels;
  if (!args.edges.empty()) options.fragments.edges.method = EdgeMethod::kSupplied;
  st = options.Validate();
  if (!st.ok()) return ctx.Fail(kCommand, st);

  Result<ShapeModel> model = ReadShapeModel(args.model);
  if (!model.ok()) return ctx.Fail(kCommand, model.status().WithContext("--model"));
  Result<InputImage> input = ReadInputImage(args.image, args.edges, args.max_pixels);
  if (!input.ok()) return ctx.Fail(kCommand, input.status());

  const ThreadLimit thread_limit(args.threads);
  Result<LevelExecutorChoice> executor = OpenLevelExecutor(args.nodes, false, kCommand, ctx.err);
  if (!executor.ok()) return ctx.Fail(kCommand, executor.status());
  Result<Detections> result = Detect(input->image, *model, options, input->edge_strength, *executor->executor);
  if (!result.ok()) return ctx.Fail(kCommand, result.status());

  DetectionsJsonOptions json_options;
  json_options.include_timing = !args.no_timing;
  json_options.indent = args.pretty ? 1 : -1;
  const std::string json = DetectionsToJson(*result, *model, options, input->image.size(), json_options);
  std::string png;
  if (!args.overlay.empty()) {
    Result<std::string> encoded = EncodePng(DrawDetections(input->image, *result, *model));
    if (!encoded.ok()) return ctx.Fail(kCommand, encoded.status());
    png = std::move(encoded).value();
  }
  const std::string svg = args.svg.empty() ? "" : DetectionsToSvg(*result, input->image.size());
  st = WriteOutputs({{args.overlay, png}, {args.svg, svg}, {args.out, json}});
  if (!st.ok()) return ctx.Fail(kCommand, st);

  char line[256];
  if (result->detections.empty()) {
    std::snprintf(line, sizeof(line), "no '%s' found, %.1f ms -> %s", model->name.c_str(),
                  result->summary.timing.total_ms, args.out.c_str());
  } else {
    const Detection& best = result->detections.front();
    std::snprintf(line, sizeof(line),
                  "%zu detection(s) of '%s'; best score %.2f at [%.0f, %.0f, %.0f, %.0f], %.1f ms -> %s",
                  result->detections.size(), model->name.c_str(), best.score, best.box.x, best.box.y,
                  best.box.x + best.box.width, best.box.y + best.box.height,
                  result->summary.timing.total_ms, args.out.c_str());
  }
  ctx.out << line << "\n";
  return kExitOk;
}

}  // namespace

void AddDetectCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = app.add_subcommand(
      kCommand, "Find a target shape in an image: group the image contours that form it, box it "
                "and score it. Writes JSON (and optionally an overlay PNG and an SVG).");
  cmd->add_option("IMAGE", args->image, "Input image")->required();
  cmd->add_option("--model", args->model,
                  "Target shape: a model JSON from `msrf model`, a polygon JSON, an outline "
                  "drawing or a mask")
      ->required();
  cmd->add_option("--edges", args->edges,
                  "Edge-strength map the size of IMAGE (e.g. a Berkeley *_edges.tif)");
  cmd->add_option("--solver", args->solver, "Inference: relaxation labeling, MCMC or ICM")
      ->check(CLI::IsMember({"relax", "mcmc", "icm"}))
      ->capture_default_str();
  cmd->add_option("--max-detections", args->max_detections, "Most detections reported")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Seed of the stochastic solvers")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_option("--levels", args->levels, "Most pyramid levels")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
  cmd->add_option("--max-pixels", args->max_pixels, "Refuse larger images")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output detections JSON")->required();
  cmd->add_option("--overlay", args->overlay, "Also draw the detections over the image (PNG)");
  cmd->add_option("--svg", args->svg, "Also write the grouped contours as SVG paths");
  cmd->add_option("--nodes", args->nodes,
                  "Run the pyramid levels on edge nodes listed in this JSON file (see "
                  "`msrf node serve`); the result is the same as without");
  cmd->add_flag("--mirror", args->mirror, "Also search the model's mirror image");
  cmd->add_flag("--no-timing", args->no_timing, "Leave the timing key out of the JSON");
  cmd->add_flag("--pretty", args->pretty, "Indent the JSON");
  cmd->callback([args, &context] {
    context.action = [args, &context] { return RunDetect(*args, context); };
  });
}

}  // namespace msrf::cli
