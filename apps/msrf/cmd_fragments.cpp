// msrf fragments IMAGE --out FRAGMENTS.json: the pyramid, its contour fragments and the
// trees that link them across levels, with the levels run here or on edge nodes.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <cstdio>
#include <memory>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/grouping/level_work.h"
#include "msrf/io/file_io.h"
#include "msrf/io/fragments_json.h"
#include "msrf/io/image_io.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf::cli {
namespace {

constexpr const char* kFragmentsCommand = "fragments";

struct FragmentsArgs {
  std::string image;
  std::string edges;
  std::string edge_detector = "forest";
  int levels = 0;
  double scale = 0.0;
  int min_size = 0;
  double sigma = 0.0;
  double min_length = 0.0;
  std::string out;
  std::string overlay;
  int64_t max_pixels = ImageReadOptions().max_pixels;
  int threads = 0;
  std::string nodes;
  std::string config;
  bool dump_config = false;
  bool no_timing = false;
  bool pretty = false;

  // CLI11 options whose presence matters (a value given on the command line overrides the
  // config file).
  CLI::Option* levels_opt = nullptr;
  std::vector<double> forest_scales;
  CLI::Option* forest_scales_opt = nullptr;
  CLI::Option* scale_opt = nullptr;
  CLI::Option* min_size_opt = nullptr;
  CLI::Option* sigma_opt = nullptr;
  CLI::Option* min_length_opt = nullptr;
  CLI::Option* detector_opt = nullptr;
};

Result<MultiscaleOptions> OptionsFromArgs(const FragmentsArgs& args) {
  MultiscaleOptions options;
  if (!args.config.empty()) {
    MSRF_ASSIGN_OR_RETURN(std::string text, ReadFileToString(args.config));
    MSRF_RETURN_IF_ERROR(UpdateMultiscaleOptionsFromJson(text, args.config, options));
  }
  if (*args.levels_opt) options.pyramid.num_levels = args.levels;
  MSRF_RETURN_IF_ERROR(
      ApplyForestScales(*args.forest_scales_opt, args.forest_scales, options.edges));
  if (*args.scale_opt) options.pyramid.scale_factor = args.scale;
  if (*args.min_size_opt) options.pyramid.min_size = args.min_size;
  if (*args.sigma_opt) options.pyramid.sigma = args.sigma;
  if (*args.min_length_opt) options.fragments.min_length = args.min_length;
  if (!args.edges.empty()) {
    options.edges.method = EdgeMethod::kSupplied;
  } else if (*args.detector_opt || options.edges.method == EdgeMethod::kSupplied) {
    MSRF_ASSIGN_OR_RETURN(options.edges.method, ParseEdgeMethod(args.edge_detector));
  }
  MSRF_RETURN_IF_ERROR(options.Validate());
  return options;
}

int RunFragments(const FragmentsArgs& args, Context& ctx) {
  Result<MultiscaleOptions> options = OptionsFromArgs(args);
  if (!options.ok()) return ctx.Fail(kFragmentsCommand, options.status());
  if (args.dump_config) {
    ctx.out << MultiscaleOptionsToJson(*options) << "\n";
    return kExitOk;
  }
  if (args.image.empty())
    return ctx.Fail(kFragmentsCommand, InvalidArgumentError("IMAGE is required"));
  if (args.out.empty())
    return ctx.Fail(kFragmentsCommand, InvalidArgumentError("--out is required"));
  // Refuse bad output paths before any work is done.
  Status st =
      CheckOutputPaths({{"--out", args.out}, {"--overlay", args.overlay}},
                       {{"IMAGE", args.image}, {"--edges", args.edges}, {"--config", args.config}});
  if (!st.ok()) return ctx.Fail(kFragmentsCommand, st);
  Result<InputImage> input = ReadInputImage(args.image, args.edges, args.max_pixels);
  if (!input.ok()) return ctx.Fail(kFragmentsCommand, input.status());
  const cv::Mat& image = input->image;
  const cv::Mat& strength = input->edge_strength;

  const ThreadLimit thread_limit(args.threads);
  Result<LevelExecutorChoice> executor =
      OpenLevelExecutor(args.nodes, false, kFragmentsCommand, ctx.err);
  if (!executor.ok()) return ctx.Fail(kFragmentsCommand, executor.status());
  // Fragments only: no models, so the level jobs find no candidates.
  Result<MultiscaleLevelWork> work =
      RunMultiscaleLevels(image, strength, *options, {}, {}, *executor->executor);
  if (!work.ok()) return ctx.Fail(kFragmentsCommand, work.status());
  const MultiscaleFragments& result = work->fragments;

  FragmentsJsonOptions json_options;
  json_options.include_timing = !args.no_timing;
  json_options.indent = args.pretty ? 1 : -1;
  const std::string json = FragmentsToJson(result, *options, json_options);

  std::string png;
  if (!args.overlay.empty()) {
    Result<std::string> encoded = EncodePng(DrawFragmentsOverlay(image, result));
    if (!encoded.ok()) return ctx.Fail(kFragmentsCommand, encoded.status());
    png = std::move(encoded).value();
  }
  st = WriteOutputs({{args.overlay, png}, {args.out, json}});
  if (!st.ok()) return ctx.Fail(kFragmentsCommand, st);

  int links = 0;
  for (const Fragment& f : result.fragments) links += f.parent >= 0;
  char line[256];
  std::snprintf(line, sizeof(line), "%zu levels, %zu fragments, %d tree links, %.1f ms -> %s",
                result.levels.size(), result.fragments.size(), links, result.total_ms,
                args.out.c_str());
  ctx.out << line << "\n";
  PrintNodeSummary(*executor->executor, 1, ctx.out);
  return kExitOk;
}

}  // namespace

void AddFragmentsCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<FragmentsArgs>();
  CLI::App* cmd = app.add_subcommand(
      kFragmentsCommand,
      "Build the image pyramid, its contour fragments and the trees linking them "
      "across levels; write them as JSON (and optionally an overlay PNG).");
  const MultiscaleOptions defaults;

  cmd->add_option("IMAGE", args->image, "Input image (any format OpenCV reads)")
      ->check(NonEmptyPath());
  cmd->add_option("--edges", args->edges,
                  "Edge-strength map the size of IMAGE (e.g. a Berkeley *_edges.tif; brighter "
                  "= stronger); replaces edge detection");
  args->detector_opt =
      cmd->add_option("--edge-detector", args->edge_detector, "Edge detector when no --edges")
          ->check(CLI::IsMember({"forest", "canny", "edgedrawing"}))
          ->excludes("--edges")
          ->default_str("forest");
  args->forest_scales_opt = AddForestScalesOption(cmd, &args->forest_scales);
  args->levels_opt = cmd->add_option("--levels", args->levels, "Most pyramid levels")
                         ->check(CLI::Range(1, 16))
                         ->default_str(std::to_string(defaults.pyramid.num_levels));
  args->scale_opt =
      cmd->add_option("--scale", args->scale, "Size ratio between consecutive levels, in (1, 4]")
          ->check(FiniteNumber())
          ->check(CLI::Range(1.0001, 4.0))
          ->default_str("1.414");
  args->min_size_opt =
      cmd->add_option("--min-size", args->min_size, "Smallest shorter side of a level, pixels")
          ->check(CLI::Range(8, 4096))
          ->default_str(std::to_string(defaults.pyramid.min_size));
  args->sigma_opt = cmd->add_option("--sigma", args->sigma, "Smoothing per level, pixels")
                        ->check(FiniteNumber())
                        ->check(CLI::Range(0.0, 5.0))
                        ->default_str("1.0");
  args->min_length_opt =
      cmd->add_option("--min-length", args->min_length,
                      "Drop fragments shorter than this, in pixels of their level")
          ->check(FiniteNumber())
          ->check(CLI::Range(2.0, 10000.0))
          ->default_str("10");
  cmd->add_option("--out", args->out, "Output fragments JSON")->check(NonEmptyPath());
  cmd->add_option("--overlay", args->overlay,
                  "Also write a PNG: fragments over the image, coloured by level, tree links "
                  "in white")
      ->check(NonEmptyPath());
  cmd->add_option("--max-pixels", args->max_pixels, "Refuse larger images")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30))
      ->default_str(std::to_string(args->max_pixels));
  cmd->add_option("--threads", args->threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024))
      ->default_str("0");
  cmd->add_option("--nodes", args->nodes,
                  "Run the pyramid levels on edge nodes listed in this JSON file (see "
                  "`msrf node serve`); the result is the same as without");
  cmd->add_option("--config", args->config,
                  "JSON options file (see --dump-config); flags override it");
  cmd->add_flag("--dump-config", args->dump_config, "Print the options in effect as JSON and exit");
  cmd->add_flag("--no-timing", args->no_timing, "Leave the timing key out of the JSON");
  cmd->add_flag("--pretty", args->pretty, "Indent the JSON");

  cmd->callback([args, &context] {
    context.action = [args, &context] { return RunFragments(*args, context); };
  });
}

}  // namespace msrf::cli
