// msrf synth --out SCENE.png: a seeded synthetic scene (outlines among clutter curves).
#include <CLI/CLI.hpp>

#include <memory>

#include "msrf/cli.h"
#include "msrf/io/file_io.h"
#include "msrf/io/overlay.h"
#include "msrf/synth/scene.h"

namespace msrf::cli {
namespace {

constexpr const char* kCommand = "synth";

struct SynthArgs {
  ClutterSceneOptions scene;
  std::string out;
};

int RunSynth(const SynthArgs& args, Context& ctx) {
  Status st = CheckWritablePath(args.out);
  if (!st.ok()) return ctx.Fail(kCommand, Status(StatusCode::kInvalidArgument, st.message()));
  const SyntheticScene scene = DrawClutterScene(args.scene);
  Result<std::string> png = EncodePng(scene.image);
  if (!png.ok()) return ctx.Fail(kCommand, png.status());
  st = WriteFileAtomically(args.out, *png);
  if (!st.ok()) return ctx.Fail(kCommand, st);
  ctx.out << scene.image.cols << "x" << scene.image.rows << " scene, " << scene.shapes.size()
          << " shapes -> " << args.out << "\n";
  return kExitOk;
}

}  // namespace

void AddSynthCommand(CLI::App& app, Context& context) {
  auto args = std::make_shared<SynthArgs>();
  CLI::App* cmd = app.add_subcommand(
      kCommand, "Draw a seeded synthetic scene: silhouettes (polygons, ellipses) among clutter "
                "curves, with noise.");
  cmd->add_option("--out", args->out, "Output PNG")->required();
  cmd->add_option("--seed", args->scene.seed, "Random seed")->capture_default_str();
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
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  cmd->callback([args, &context] {
    context.action = [args, &context] { return RunSynth(*args, context); };
  });
}

}  // namespace msrf::cli
