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
};

struct ChamferOptions {
  double min_object_size = 30.0;  // the model's larger side in the image, pixels
  double max_object_size = 0.0;   // 0: the image's shorter side
  double scale_step = 1.12;       // ratio between consecutive sizes tried
  double position_step = 0.04;    // grid step, as a fraction of the object size (>= 2 px)
  double truncation = 0.05;       // distances above this fraction of the size count as it
  int max_detections = 5;
  double nms_iou = 0.5;
  double nms_inside = 0.9;  // as DetectOptions::nms_inside
};

// Score = 1 - mean truncated distance / truncation, in [0, 1].
std::vector<ScoredBox> ChamferDetect(const cv::Mat& edges, const ShapeModel& model,
                                     const ChamferOptions& options = {});

struct HoughOptions {
  double min_object_size = 30.0;
  double max_object_size = 0.0;  // 0: the image's shorter side
  double scale_ratio = 1.2;      // between consecutive template sizes
  int max_detections = 5;
  double nms_iou = 0.5;
  double nms_inside = 0.9;  // as DetectOptions::nms_inside
};

// Score = position votes / sqrt(template edge points) (for ranking only). `image` gives the
// gradient directions Guil's method needs; `edges` the edge points.
Result<std::vector<ScoredBox>> GeneralizedHoughDetect(const cv::Mat& image, const cv::Mat& edges,
                                                      const ShapeModel& model,
                                                      const HoughOptions& options = {});

}  // namespace msrf
