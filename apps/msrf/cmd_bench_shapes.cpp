// msrf bench shapes --manifest DATASET.json --out OUTDIR: the ETHZ protocol on any dataset a
// manifest describes (msrf/eval/manifest.h).
#include <CLI/CLI.hpp>

#include <memory>

#include "msrf/common.h"
#include "msrf/eval/manifest.h"
#include "shape_bench.h"

namespace msrf::cli {

void AddBenchShapesCommands(CLI::App* bench, Context& context) {
  auto args = std::make_shared<ShapeBenchArgs>();
  auto manifest = std::make_shared<std::string>();
  args->edges = "auto";
  CLI::App* cmd = bench->add_subcommand(
      "shapes",
      "The ETHZ protocol on any dataset a JSON manifest describes (docs/benchmarks.md): "
      "every class's model on every image, detection rate vs false positives per image, "
      "msrf and its peers side by side.");
  cmd->add_option("--manifest", *manifest,
                  "The dataset: images, classes with their models, boxes (docs/benchmarks.md)")
      ->required()
      ->check(NonEmptyPath());
  AddShapeBenchOptions(cmd, *args, {"supplied", "auto", "forest", "canny"},
                       "Edges: the maps the manifest gives (supplied), or msrf's own (auto: what "
                       "`msrf detect` uses without --edges, now forest; or canny)");
  cmd->callback([args, manifest, &context] {
    context.action = [args, manifest, &context] {
      return RunShapeBench(
          "bench shapes", *args,
          [&] {
            Result<ShapeDataset> data = ReadShapeManifest(*manifest, SplitList(args->classes));
            return data.ok() ? data : data.status().WithContext("--manifest");
          },
          context);
    };
  });
}

}  // namespace msrf::cli
