// msrf synth --out SCENE.png: a seeded synthetic scene (outlines among clutter curves).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/io/overlay.h"
#include "msrf/synth/scene.h"

namespace msrf::cli {
namespace {

constexpr const char* kSynthCommand = "synth";

struct SynthArgs {
  ClutterSceneOptions scene;
  std::string target;  // a shape to draw into the clutter
  bool negative = false;
  std::string out;
};

int RunSynth(const SynthArgs& args, Context& ctx) {
  Status st = CheckOutputPaths({{"--out", args.out}}, {{"--target", args.target}});
  if (!st.ok()) return ctx.Fail(kSynthCommand, st);
  if (!args.target.empty()) {
    Result<ShapeModel> model = ReadShapeModel(args.target);
    if (!model.ok()) return ctx.Fail(kSynthCommand, model.status().WithContext("--target"));
    TargetSceneOptions o;
    o.size = args.scene.size;
    o.seed = args.scene.seed;
    o.noise_sigma = args.scene.noise_sigma;
    o.num_clutter_curves = args.scene.num_clutter_curves;
    o.draw_target = !args.negative;
    const TargetScene scene = DrawTargetScene(model->points, o);
    Result<std::string> png = EncodePng(scene.image);
    if (!png.ok()) return ctx.Fail(kSynthCommand, png.status());
    st = WriteOutputs({{args.out, *png}});
    if (!st.ok()) return ctx.Fail(kSynthCommand, st);
    char line[200];
    if (args.negative) {
      std::snprintf(line, sizeof(line), "%dx%d scene without '%s' -> %s", scene.image.cols,
                    scene.image.rows, model->name.c_str(), args.out.c_str());
    } else {
      std::snprintf(line, sizeof(line), "%dx%d scene, '%s' at [%.1f, %.1f, %.1f, %.1f] -> %s",
                    scene.image.cols, scene.image.rows, model->name.c_str(), scene.box.x,
                    scene.box.y, scene.box.x + scene.box.width, scene.box.y + scene.box.height,
                    args.out.c_str());
    }
    ctx.out << line << "\n";
    return kExitOk;
  }
  const SyntheticScene scene = DrawClutterScene(args.scene);
  Result<std::string> png = EncodePng(scene.image);
  if (!png.ok()) return ctx.Fail(kSynthCommand, png.status());
  st = WriteOutputs({{args.out, *png}});
  if (!st.ok()) return ctx.Fail(kSynthCommand, st);
  ctx.out << scene.image.cols << "x" << scene.image.rows << " scene, " << scene.shapes.size()
          << " shapes -> " << args.out << "\n";
  return kExitOk;
}

}  // namespace

void AddSynthCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<SynthArgs>();
  CLI::App* cmd = app.add_subcommand(
      kSynthCommand,
      "Draw a seeded synthetic scene: silhouettes (polygons, ellipses) among clutter "
      "curves, with noise.");
  cmd->add_option("--out", args->out, "Output PNG")->check(NonEmptyPath())->required();
  cmd->add_option("--target", args->target,
                  "Draw this shape (model or polygon JSON, drawing, mask) into the clutter at a "
                  "random place and scale, broken and partly hidden; prints its box")
      ->check(NonEmptyPath());
  cmd->add_flag("--negative", args->negative, "With --target: the same clutter, no target");
  cmd->add_option("--seed", args->scene.seed, "Random seed")
      ->check(SeedNumber())
      ->capture_default_str();
  cmd->add_option("--width", args->scene.size.width, "Width, pixels")
      ->check(CLI::Range(32, 8192))
      ->capture_default_str();
  cmd->add_option("--height", args->scene.size.height, "Height, pixels")
      ->check(CLI::Range(32, 8192))
      ->capture_default_str();
  cmd->add_option("--shapes", args->scene.num_shapes, "Filled silhouettes")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_option("--clutter", args->scene.num_clutter_curves, "Open clutter curves")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  cmd->add_option("--noise", args->scene.noise_sigma, "Noise sigma, grey levels")
      ->check(FiniteNumber())
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  cmd->callback(
      [args, &context] { context.action = [args, &context] { return RunSynth(*args, context); }; });
}

}  // namespace msrf::cli
