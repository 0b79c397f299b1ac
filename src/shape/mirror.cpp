#include "msrf/shape/mirror.h"

#include <cmath>
#include <vector>

namespace msrf {

namespace {

// A model of `points` (the moved points of `model`, one for one) with `model`'s drawn flags,
// part levels and name.
Result<ShapeModel> MovedModel(const ShapeModel& model, const std::vector<cv::Point2d>& points) {
  ShapeModelOptions options;
  options.num_points = static_cast<int>(model.points.size());
  options.part_vertices.clear();
  for (const ModelPartLevel& level : model.parts) options.part_vertices.push_back(level.vertices);
  if (options.part_vertices.empty()) options.part_vertices = ShapeModelOptions().part_vertices;
  MSRF_ASSIGN_OR_RETURN(ShapeModel m, ShapeModelFromPolygon(points, model.drawn, options));
  m.name = model.name;
  return m;
}

}  // namespace

Result<ShapeModel> MirrorModel(const ShapeModel& model) {
  std::vector<cv::Point2d> mirrored;
  for (const cv::Point2d& p : model.points) mirrored.emplace_back(-p.x, p.y);
  // Mirroring flips the orientation; the model is re-oriented and re-started at the top,
  // and drawn flag i belongs to the edge from point i to i + 1.
  return MovedModel(model, mirrored);
}

Result<ShapeModel> StretchModel(const ShapeModel& model, double k) {
  if (!(k > 0) || !std::isfinite(k)) return InvalidArgumentError("the stretch must be positive");
  if (k == 1.0) return model;
  std::vector<cv::Point2d> stretched;
  for (const cv::Point2d& p : model.points) stretched.emplace_back(k * p.x, p.y / k);
  // A positive stretch keeps the orientation and the topmost point (the model's start), so
  // the points keep their order and indices.
  return MovedModel(model, stretched);
}

}  // namespace msrf
