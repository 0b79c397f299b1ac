// msrf edges IMAGE --out MAP.png: the boundary map of a photo, for a person to look at.
// msrf train-edges --root BSDS --out FOREST: trains the boundary forest on BSDS500.
#include <CLI/CLI.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "msrf/boundaries/boundaries.h"
#include "msrf/boundaries/forest.h"
#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/stopwatch.h"
#include "msrf/eval/bsds.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/overlay.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf::cli {
namespace {

constexpr const char* kEdgesCommand = "edges";
constexpr const char* kTrainCommand = "train-edges";

struct EdgesArgs {
  std::string image;
  std::string out;
  std::string method = "forest";
  std::string forest;
  bool raw = false;
  bool sixteen = false;
  std::vector<double> scales = BoundaryOptions().forest_scales;
};

int RunEdges(const EdgesArgs& args, Context& ctx) {
  Status st = CheckOutputPaths({{"--out", args.out}}, {{"IMAGE", args.image}});
  if (!st.ok()) return ctx.Fail(kEdgesCommand, st);
  Result<BoundaryMethod> method = ParseBoundaryMethod(args.method);
  if (!method.ok()) return ctx.Fail(kEdgesCommand, method.status());
  Result<cv::Mat> image = ReadImage(args.image);
  if (!image.ok()) return ctx.Fail(kEdgesCommand, image.status());
  st = CheckForestScales("--scales", args.scales);
  if (!st.ok()) return ctx.Fail(kEdgesCommand, st);
  BoundaryOptions options;
  options.method = *method;
  options.thin = !args.raw;
  options.forest_scales = args.scales;
  Stopwatch watch;
  Result<BoundaryMap> map = Status::Ok();
  if (!args.forest.empty() && *method == BoundaryMethod::kForest) {
    Result<Forest> forest = ReadForest(args.forest);
    if (!forest.ok()) return ctx.Fail(kEdgesCommand, forest.status());
    map = DetectBoundaries(*image, options, *forest);
  } else {
    map = DetectBoundaries(*image, options);
  }
  if (!map.ok()) return ctx.Fail(kEdgesCommand, map.status());
  const double ms = watch.Milliseconds();
  cv::Mat out;
  map->strength.convertTo(out, args.sixteen ? CV_16U : CV_8U, args.sixteen ? 65535.0 : 255.0);
  Result<std::string> png = EncodePng(out);
  if (!png.ok()) return ctx.Fail(kEdgesCommand, png.status());
  st = WriteOutputs({{args.out, *png}});
  if (!st.ok()) return ctx.Fail(kEdgesCommand, st);
  char line[256];
  std::snprintf(line, sizeof(line), "%s boundaries (%s) of %dx%d in %.0f ms -> %s",
                args.method.c_str(), args.raw ? "raw" : "thinned", image->cols, image->rows, ms,
                args.out.c_str());
  ctx.out << line << "\n";
  return kExitOk;
}

struct TrainArgs {
  std::string root;
  std::string split = "train";
  std::string out;
  int max_images = 0;
  ForestTrainOptions options;
};

// The images of a BSDS500 split with their segmentations, sorted by id.
Result<std::vector<ForestTrainImage>> ReadBsdsTraining(const std::string& root,
                                                       const std::string& split, int max_images) {
  namespace fs = std::filesystem;
  // The split as the benchmark lists it (ids sorted, every image's header checked).
  MSRF_ASSIGN_OR_RETURN(BsdsSplit listed, ReadBsdsSplit(root, split));
  if (max_images > 0 && static_cast<int>(listed.images.size()) > max_images) {
    listed.images.resize(static_cast<size_t>(max_images));
  }
  const fs::path folder = fs::path(root) / split;
  std::vector<ForestTrainImage> images;
  for (const BsdsImage& listed_image : listed.images) {
    ForestTrainImage image;
    image.id = listed_image.id;
    MSRF_ASSIGN_OR_RETURN(image.image, ReadImage(listed_image.image_path));
    std::error_code ec;
    for (int k = 0;; ++k) {
      const fs::path seg_path = folder / (image.id + "_seg" + std::to_string(k) + ".png");
      if (!fs::exists(seg_path, ec)) break;
      ImageReadOptions labels;
      labels.imread_flags = cv::IMREAD_UNCHANGED;
      Result<cv::Mat> seg = ReadImage(seg_path.string(), labels);
      if (!seg.ok() || seg->channels() != 1 || seg->size() != image.image.size()) {
        return InvalidArgumentError(seg_path.string() +
                                    " is not a label map the size of its image");
      }
      image.segmentations.push_back(*seg);
    }
    if (image.segmentations.empty()) {
      return NotFoundError("no segmentation " + image.id + "_seg0.png in " + folder.string());
    }
    images.push_back(std::move(image));
  }
  return images;
}

int RunTrain(const TrainArgs& args, Context& ctx) {
  Status st = CheckOutputPaths({{"--out", args.out}});
  if (!st.ok()) return ctx.Fail(kTrainCommand, st);
  Stopwatch watch;
  Result<std::vector<ForestTrainImage>> images =
      ReadBsdsTraining(args.root, args.split, args.max_images);
  if (!images.ok()) return ctx.Fail(kTrainCommand, images.status());
  ctx.out << "training " << args.options.num_trees << " trees on " << images->size()
          << " images of " << args.root << "/" << args.split << "\n";
  Result<Forest> forest = TrainForest(*images, args.options, [&](int done, int total) {
    ctx.out << "  tree " << done << "/" << total << " (" << static_cast<int>(watch.Seconds())
            << " s)\n";
    ctx.out.flush();
  });
  if (!forest.ok()) return ctx.Fail(kTrainCommand, forest.status());
  char provenance[512];
  std::snprintf(provenance, sizeof(provenance),
                "msrf train-edges --split %s --images %zu --trees %d --trees-per-position %d "
                "--samples %d --seed %llu (BSDS500 %s split)",
                args.split.c_str(), images->size(), args.options.num_trees,
                args.options.trees_per_position, args.options.samples_per_tree,
                static_cast<unsigned long long>(args.options.seed), args.split.c_str());
  forest->provenance = provenance;
  const std::string bytes = SerializeForest(*forest);
  st = WriteOutputs({{args.out, bytes}});
  if (!st.ok()) return ctx.Fail(kTrainCommand, st);
  size_t nodes = 0;
  for (const ForestTree& tree : forest->trees) nodes += tree.feature.size();
  char line[256];
  std::snprintf(line, sizeof(line), "forest: %zu trees, %zu nodes, %zu bytes, %.0f s -> %s",
                forest->trees.size(), nodes, bytes.size(), watch.Seconds(), args.out.c_str());
  ctx.out << line << "\n";
  return kExitOk;
}

}  // namespace

void AddEdgesCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<EdgesArgs>();
  CLI::App* cmd = app.add_subcommand(
      kEdgesCommand,
      "Write the boundary map of a photo (msrf's own detector by default) as a PNG: bright where "
      "an object boundary is likely.");
  cmd->add_option("IMAGE", args->image, "Input image (PNG, JPEG, ...; colour or gray)")
      ->check(NonEmptyPath())
      ->required();
  cmd->add_option("--out", args->out, "Output PNG")->check(NonEmptyPath())->required();
  cmd->add_option("--method", args->method, "Boundary detector")
      ->check(CLI::IsMember({"forest", "gradient"}))
      ->capture_default_str();
  cmd->add_flag("--raw", args->raw, "The map before non-maximum suppression (not thinned)");
  cmd->add_flag("--16bit", args->sixteen, "Write a 16-bit PNG (default 8-bit)");
  cmd->add_option("--scales", args->scales,
                  "The forest: sizes to run at, as factors of the photo's, their maps averaged "
                  "(1 to 4 in [0.25, 4]; 1: fastest)")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--forest", args->forest,
                  "A forest trained by `msrf train-edges` instead of the one built in")
      ->check(NonEmptyPath());
  cmd->callback(
      [args, &context] { context.action = [args, &context] { return RunEdges(*args, context); }; });

  auto train = std::make_shared<TrainArgs>();
  CLI::App* tcmd = app.add_subcommand(
      kTrainCommand,
      "Train the boundary forest on the human segmentations of BSDS500 (docs/boundaries.md).");
  tcmd->add_option("--root", train->root, "BSDS500 folder (with train/ and val/)")
      ->check(NonEmptyPath())
      ->required();
  tcmd->add_option("--split", train->split, "Split to train on")
      ->check(CLI::IsMember({"train", "val"}))
      ->capture_default_str();
  tcmd->add_option("--out", train->out, "Output forest file")->check(NonEmptyPath())->required();
  tcmd->add_option("--images", train->max_images, "Use only the first N images (0: all)")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  tcmd->add_option("--trees", train->options.num_trees, "Trees")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  tcmd->add_option("--trees-per-position", train->options.trees_per_position,
                   "Trees run at each position")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  tcmd->add_option("--samples", train->options.samples_per_tree, "Patches per tree")
      ->check(CLI::Range(100, 10000000))
      ->capture_default_str();
  tcmd->add_option("--seed", train->options.seed, "Random seed")
      ->check(SeedNumber())
      ->capture_default_str();
  tcmd->callback([train, &context] {
    context.action = [train, &context] { return RunTrain(*train, context); };
  });
}

}  // namespace msrf::cli
