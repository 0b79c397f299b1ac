// Boxes: the overlap measure every detector and the evaluation share.
#pragma once

#include <opencv2/core.hpp>

namespace msrf {

// Intersection over union of two boxes, in [0, 1]; 0 when both are empty.
inline double BoxIou(const cv::Rect2d& a, const cv::Rect2d& b) {
  const double inter = (a & b).area();
  const double uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0;
}

}  // namespace msrf
