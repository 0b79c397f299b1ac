#include "remote_jobs.h"

#include <cmath>
#include <cstdlib>
#include <vector>

#include "msrf/synth/scene.h"

namespace msrf::fuzz {
namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<cv::Point2d> Ellipse() {
  std::vector<cv::Point2d> pts;
  for (int i = 0; i < 24; ++i) {
    const double a = 2.0 * kPi * i / 24.0;
    pts.emplace_back(15.0 * std::cos(a), 10.0 * std::sin(a));
  }
  return pts;
}

ImageLevel Level() {
  TargetSceneOptions scene;
  scene.size = {64, 48};
  scene.seed = 5;
  scene.base_size = 28.0;
  scene.num_clutter_curves = 3;
  scene.num_distractors = 1;
  const cv::Mat image = DrawTargetScene(Ellipse(), scene).image;
  return BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
}

// Canny's edges: the fixed jobs carry no strength map, which the default (the forest's) would
// need. Either way the decoders see the same kinds of messages.
MultiscaleOptions CannyOptions() {
  MultiscaleOptions options;
  options.edges.method = EdgeMethod::kCanny;
  return options;
}

}  // namespace

const LevelJob& FuzzLevelJob() {
  static const LevelJob job = [] {
    LevelJob j;
    j.fragments = CannyOptions();
    j.level = Level();
    j.image_size = j.level.image.size();
    Result<ShapeModel> model = ShapeModelFromPolygon(Ellipse());
    if (!model.ok()) std::abort();  // a fixed, valid polygon
    j.models.push_back(*model);
    return j;
  }();
  return job;
}

const TileJob& FuzzTileJob() {
  static const TileJob job = [] {
    const ImageLevel level = Level();
    TileOptions tiles;
    tiles.columns = 2;
    tiles.rows = 1;
    tiles.margin = 8;
    Result<TilePlan> plan = PlanTiles(level, CannyOptions(), tiles);
    if (!plan.ok()) std::abort();
    Result<std::vector<TileJob>> jobs = MakeTileJobs(level, *plan);
    if (!jobs.ok()) std::abort();
    return jobs->front();
  }();
  return job;
}

}  // namespace msrf::fuzz
