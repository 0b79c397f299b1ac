// msrf bench shapes --manifest DATASET.json --out OUTDIR: the ETHZ protocol on any dataset a
// manifest describes (msrf/eval/manifest.h).
// msrf bench coco-manifest --annotations instances.json --images DIR --models CLASS=MODEL ...
// --out DATASET.json: such a manifest from COCO-style box annotations (msrf/eval/coco.h).
#include <CLI/CLI.hpp>

#include <memory>
#include <sstream>

#include "msrf/common.h"
#include "msrf/eval/coco.h"
#include "msrf/eval/manifest.h"
#include "msrf/io/file_io.h"
#include "shape_bench.h"

namespace msrf::cli {
namespace {

struct CocoArgs {
  std::string annotations;
  std::string images;
  std::vector<std::string> models;  // CLASS=MODEL
  std::string out;
};

constexpr const char* kCocoCommand = "bench coco-manifest";

int RunCocoManifest(const CocoArgs& args, Context& ctx) {
  CocoManifestOptions options;
  options.annotations = args.annotations;
  options.images = args.images;
  options.out = args.out;
  for (const std::string& entry : args.models) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      return ctx.Fail(kCocoCommand,
                      InvalidArgumentError("--models " + entry + ": expected CLASS=MODEL"));
    }
    const std::string name = entry.substr(0, eq);
    for (const auto& [known, model] : options.models) {
      if (known == name) {
        return ctx.Fail(kCocoCommand,
                        InvalidArgumentError("--models: class '" + name + "' is given twice"));
      }
    }
    options.models.emplace_back(name, entry.substr(eq + 1));
  }
  NamedPaths inputs = {{"--annotations", args.annotations}};
  for (const auto& [name, model] : options.models) inputs.emplace_back("--models " + name, model);
  Status st = CheckOutputPaths({{"--out", args.out}}, inputs);
  if (!st.ok()) return ctx.Fail(kCocoCommand, st);
  Result<std::string> text = ReadFileToString(args.annotations, int64_t{1} << 30);
  if (!text.ok()) return ctx.Fail(kCocoCommand, text.status().WithContext("--annotations"));
  CocoManifestSummary summary;
  Result<std::string> manifest = CocoToManifest(*text, options, &summary);
  if (!manifest.ok()) return ctx.Fail(kCocoCommand, manifest.status());
  st = WriteOutputs({{args.out, *manifest}});
  if (!st.ok()) return ctx.Fail(kCocoCommand, st);
  std::ostringstream line;
  line << summary.images << " images (" << summary.negatives << " without objects of the classes)";
  for (const auto& [name, count] : summary.objects) line << ", " << name << " " << count;
  if (summary.crowd_skipped > 0) line << "; " << summary.crowd_skipped << " crowd boxes left out";
  ctx.out << line.str() << "\n-> " << args.out << "\n";
  return kExitOk;
}

}  // namespace

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

  auto coco = std::make_shared<CocoArgs>();
  CLI::App* convert = bench->add_subcommand(
      "coco-manifest",
      "Writes a manifest for `msrf bench shapes` from COCO-style box annotations: the "
      "categories given a model become classes, every image is in it.");
  convert->add_option("--annotations", coco->annotations, "COCO instances JSON")
      ->required()
      ->check(NonEmptyPath());
  convert->add_option("--images", coco->images, "Folder of the images' file_name")
      ->required()
      ->check(NonEmptyPath());
  convert
      ->add_option("--models", coco->models,
                   "CLASS=MODEL: the category named CLASS, searched with MODEL (as `msrf "
                   "model` reads it); may be repeated")
      ->required();
  convert->add_option("--out", coco->out, "The manifest to write (its paths relative to it)")
      ->required()
      ->check(NonEmptyPath());
  convert->callback([coco, &context] {
    context.action = [coco, &context] { return RunCocoManifest(*coco, context); };
  });
}

}  // namespace msrf::cli
