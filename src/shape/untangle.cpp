#include "msrf/shape/untangle.h"

#include <algorithm>
#include <string>

#include "msrf/shape/polygon_check.h"

namespace msrf {

Status UntangleClosedPolygon(std::vector<cv::Point2d>& points, std::vector<uint8_t>& drawn,
                             size_t max_moves) {
  const size_t n = points.size();
  if (drawn.size() != n) {
    return InvalidArgumentError("the outline has " + std::to_string(n) + " points but " +
                                std::to_string(drawn.size()) + " drawn flags");
  }
  double scale = 0.0;
  for (const cv::Point2d& p : points) scale = std::max({scale, std::abs(p.x), std::abs(p.y)});
  // Shorter by more than rounding: what keeps a sequence of moves from cycling.
  const double min_gain = 1e-12 * std::max(scale, 1.0);
  for (size_t moves = 0;; ++moves) {
    const auto hit = FindTouchingEdges(points);
    if (!hit) return Status::Ok();
    const size_t i = hit->first, j = hit->second;  // i < j, not adjacent
    const cv::Point2d a = points[i], b = points[i + 1], c = points[j], d = points[(j + 1) % n];
    const double gain = cv::norm(b - a) + cv::norm(d - c) - cv::norm(c - a) - cv::norm(d - b);
    if (moves >= max_moves || !(gain > min_gain) || c == a || d == b) {
      return InvalidArgumentError("the outline intersects itself (edges " + std::to_string(i) +
                                  " and " + std::to_string(j) + ") and could not be untangled");
    }
    std::reverse(points.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                 points.begin() + static_cast<std::ptrdiff_t>(j) + 1);
    std::reverse(drawn.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                 drawn.begin() + static_cast<std::ptrdiff_t>(j));
    const uint8_t both = std::min(drawn[i], drawn[j]);
    drawn[i] = both;
    drawn[j] = both;
  }
}

}  // namespace msrf
