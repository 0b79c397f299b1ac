// The bounding values of a point set, shared by the support and the surround.
#pragma once

#include <opencv2/core.hpp>

#include <algorithm>
#include <array>
#include <vector>

namespace msrf {

// The smallest and largest x and y of `points`.
inline std::array<double, 4> Bounds(const std::vector<cv::Point2d>& points) {
  std::array<double, 4> b = {1e300, 1e300, -1e300, -1e300};
  for (const cv::Point2d& q : points) {
    b[0] = std::min(b[0], q.x);
    b[1] = std::min(b[1], q.y);
    b[2] = std::max(b[2], q.x);
    b[3] = std::max(b[3], q.y);
  }
  return b;
}

}  // namespace msrf
