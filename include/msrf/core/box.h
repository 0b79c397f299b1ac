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

// Fraction of box a's area that lies inside box b, in [0, 1]; 0 when a is empty.
inline double BoxInside(const cv::Rect2d& a, const cv::Rect2d& b) {
  const double area = a.area();
  return area > 0 ? (a & b).area() / area : 0.0;
}

// The rule of greedy non-maximum suppression every detector shares: `box` gives way to a
// better box already kept when their IoU exceeds nms_iou, or when at least nms_inside of
// its own area lies within the kept box (a part found inside a stronger whole; 0 turns this
// test off). A larger box around a kept one is not suppressed by the second test: it may be
// the whole that the kept box is a part of.
inline bool Suppresses(const cv::Rect2d& kept, const cv::Rect2d& box, double nms_iou,
                       double nms_inside) {
  return BoxIou(kept, box) > nms_iou || (nms_inside > 0 && BoxInside(box, kept) >= nms_inside);
}

}  // namespace msrf
