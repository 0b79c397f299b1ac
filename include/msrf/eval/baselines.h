// Peers that msrf is compared with on the same images, edges and models:
//   - chamfer matching: the model's contour slid over positions and scales on the distance
//     transform of the edge map;
//   - OpenCV's generalized Hough transform: Ballard's (positions), run at a range of
//     template sizes. Guil's (position, scale and rotation in one transform) took about a
//     second per image and model here and found less, so Ballard's is the peer.
// Both take the same binary edge map msrf's level 0 uses and return scored boxes.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

struct ScoredBox {
  double score = 0.0;
  cv::Rect2d box;
  // What msrf gives beyond the box (empty for the peers), image pixels: the placed model's
  // outline (closed) and the grouped fragments (open polylines).
  std::vector<cv::Point2d> outline = {};
  std::vector<std::vector<cv::Point2d>> contours = {};
};

// The search grid was set when the peer was written and not tuned: every size and position
// tried costs one pass over the model's points, so finer steps cost more time. The detection
// count and suppression are Detect's, so that msrf and its peers are ranked under one rule.
struct ChamferOptions {
  double min_object_size = 30.0;  // the model's larger side in the image, pixels
  double max_object_size = 0.0;   // 0: the image's shorter side
  double scale_step = 1.12;       // ratio between consecutive sizes tried
  // Grid step, as a fraction of the object size (>= 2 px): a true centre lies within half a
  // step (2%) of a grid point on each axis, inside the truncation distance.
  double position_step = 0.04;
  double truncation = 0.05;  // distances above this fraction of the size count as it
  int max_detections = 5;    // as DetectOptions::max_detections
  double nms_iou = 0.5;      // as DetectOptions::nms_iou
  double nms_inside = 0.9;   // as DetectOptions::nms_inside
};

// Score = 1 - mean truncated distance / truncation, in [0, 1].
std::vector<ScoredBox> ChamferDetect(const cv::Mat& edges, const ShapeModel& model,
                                     const ChamferOptions& options = {});

// The size range is chamfer's; neither it nor scale_ratio was tuned. Every template size is
// one Hough transform, so a smaller ratio costs more time. The detection count and
// suppression are Detect's, so that msrf and its peers are ranked under one rule.
struct HoughOptions {
  double min_object_size = 30.0;
  double max_object_size = 0.0;  // 0: the image's shorter side
  double scale_ratio = 1.2;      // between consecutive template sizes
  int max_detections = 5;        // as DetectOptions::max_detections
  double nms_iou = 0.5;          // as DetectOptions::nms_iou
  double nms_inside = 0.9;       // as DetectOptions::nms_inside
};

// Score = position votes / sqrt(template edge points) (for ranking only). `image` gives the
// gradient directions Guil's method needs; `edges` the edge points.
Result<std::vector<ScoredBox>> GeneralizedHoughDetect(const cv::Mat& image, const cv::Mat& edges,
                                                      const ShapeModel& model,
                                                      const HoughOptions& options = {});

}  // namespace msrf
