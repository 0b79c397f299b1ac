// msrf model INPUT --out MODEL.json: converts and validates a target shape.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/overlay.h"

namespace msrf::cli {
namespace {

constexpr const char* kModelCommand = "model";

struct ModelArgs {
  std::string input;
  std::string out;
  std::string preview;
  std::string kind = "auto";
  std::string name;
  ShapeModelOptions options;
};

int RunModel(const ModelArgs& args, Context& ctx) {
  Status st =
      CheckOutputPaths({{"--out", args.out}, {"--preview", args.preview}}, {{"INPUT", args.input}});
  if (!st.ok()) return ctx.Fail(kModelCommand, st);
  const ModelImageKind kind = args.kind == "outline" ? ModelImageKind::kOutline
                              : args.kind == "mask"  ? ModelImageKind::kMask
                                                     : ModelImageKind::kAuto;
  Result<ShapeModel> model = ReadShapeModel(args.input, args.options, kind);
  if (!model.ok()) return ctx.Fail(kModelCommand, model.status());
  if (!args.name.empty()) model->name = args.name;
  // Detection reads the file with the default options; a model it would refuse is not written.
  const std::string json = ShapeModelToJson(*model);
  if (Result<ShapeModel> back = ShapeModelFromJson(json, args.out); !back.ok()) {
    return ctx.Fail(kModelCommand, back.status());
  }

  std::string png;
  if (!args.preview.empty()) {
    Result<std::string> encoded = EncodePng(DrawShapeModel(*model));
    if (!encoded.ok()) return ctx.Fail(kModelCommand, encoded.status());
    png = std::move(encoded).value();
  }
  st = WriteOutputs({{args.preview, png}, {args.out, json}});
  if (!st.ok()) return ctx.Fail(kModelCommand, st);
  int drawn = 0;
  for (uint8_t d : model->drawn) drawn += d;
  char line[256];
  std::snprintf(line, sizeof(line), "model '%s': %zu points, perimeter %.1f, %d%% drawn -> %s",
                model->name.c_str(), model->points.size(), model->perimeter,
                static_cast<int>(100.0 * drawn / static_cast<double>(model->points.size())),
                args.out.c_str());
  ctx.out << line << "\n";
  return kExitOk;
}

}  // namespace

void AddModelCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<ModelArgs>();
  CLI::App* cmd = app.add_subcommand(
      kModelCommand,
      "Convert a target shape (outline drawing, mask, or JSON polygon) into a model: a "
      "closed contour, resampled, with multiscale parts; validate it.");
  cmd->add_option("INPUT", args->input,
                  "An outline drawing (dark lines on white), a mask (bright shape on black), or "
                  "a JSON file {\"polygon\": [[x, y], ...]}")
      ->check(NonEmptyPath())
      ->required();
  cmd->add_option("--out", args->out, "Output model JSON")->check(NonEmptyPath())->required();
  cmd->add_option("--preview", args->preview, "Also draw the model to this PNG")
      ->check(NonEmptyPath());
  cmd->add_option("--kind", args->kind, "How to read an image INPUT")
      ->check(CLI::IsMember({"auto", "outline", "mask"}))
      ->capture_default_str();
  cmd->add_option("--name", args->name, "Model name (default: the file name); UTF-8 text")
      ->check(Utf8Text());
  cmd->add_option("--points", args->options.num_points, "Points of the resampled contour")
      ->check(CLI::Range(16, 4096))
      ->capture_default_str();
  cmd->add_option("--max-gap", args->options.max_gap, "Bridge gaps in a drawing up to this, pixels")
      ->check(CLI::Range(0, 20))
      ->capture_default_str();
  cmd->callback(
      [args, &context] { context.action = [args, &context] { return RunModel(*args, context); }; });
}

}  // namespace msrf::cli
