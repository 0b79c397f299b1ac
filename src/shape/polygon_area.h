// The signed area of a closed polygon, shared by the shape stage's sources.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace msrf::internal {

// Positive when the polygon runs clockwise on screen (y pointing down); the last vertex is
// joined to the first.
inline double SignedArea(const std::vector<cv::Point2d>& p) {
  double a = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const cv::Point2d& u = p[i];
    const cv::Point2d& v = p[(i + 1) % p.size()];
    a += u.x * v.y - v.x * u.y;
  }
  return 0.5 * a;
}

}  // namespace msrf::internal
