#include "msrf/verify/support.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "point_bounds.h"

namespace msrf {

double TurningAngle(const std::vector<cv::Point2d>& points, int i) {
  const int n = static_cast<int>(points.size());
  const cv::Point2d a = points[static_cast<size_t>((i + n - 3) % n)];
  const cv::Point2d b = points[static_cast<size_t>(i)];
  const cv::Point2d c = points[static_cast<size_t>((i + 3) % n)];
  const cv::Point2d u = b - a, v = c - b;
  return std::abs(std::atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y));
}

Verification Verify(const ShapeModel& model, const std::vector<cv::Point2d>& placed,
                    double object_size, const OrientedContours& contours, const VerifyOptions& o) {
  Verification v;
  const auto [x0, y0, x1, y1] = Bounds(placed);
  v.box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
  const cv::Rect inside(cv::Point(cvFloor(x0), cvFloor(y0)), cv::Point(cvCeil(x1), cvCeil(y1)));
  const double tolerance = std::max(2.0, o.support_tolerance * object_size);
  const int n = static_cast<int>(model.points.size());
  std::array<double, OrientedContours::kBins> chance_of{};
  chance_of.fill(-1.0);
  double near = 0.0, total = 0.0, chance = 0.0;
  for (int i = 0; i < n; ++i) {
    if (!model.drawn[static_cast<size_t>(i)]) continue;
    const double w = 1.0 + o.curvature_weight * TurningAngle(model.points, i);
    total += w;
    const cv::Point2d q = placed[static_cast<size_t>(i)];
    const int c = contours.Channel(placed[static_cast<size_t>((i + 1) % n)] -
                                   placed[static_cast<size_t>((i + n - 1) % n)]);
    if (chance_of[static_cast<size_t>(c)] < 0)
      chance_of[static_cast<size_t>(c)] = contours.NearFraction(c, inside, tolerance);
    chance += w * chance_of[static_cast<size_t>(c)];
    if (contours.Inside(q) && contours.Distance(c, q) <= tolerance) near += w;
  }
  if (!(total > 0)) return v;
  chance /= total;
  const double raw = near / total;
  v.support = chance < 1.0 ? std::max(0.0, (raw - chance) / (1.0 - chance)) : 0.0;
  return v;
}

}  // namespace msrf
