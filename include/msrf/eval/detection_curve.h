// Detection rate against false positives per image (FPPI) for one class, the figure of the
// shape benchmarks (msrf/eval/bench.h).
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace msrf {

struct ScoredDetection {
  int image = 0;  // index into the dataset's images
  double score = 0.0;
  cv::Rect2d box;
  std::vector<cv::Point2d> outline = {};                // as ScoredBox: msrf's placed outline
  std::vector<std::vector<cv::Point2d>> contours = {};  // and grouped fragments; or empty
};

// Detection rate against FPPI for one class, as the score threshold sweeps down.
struct DetectionCurve {
  int num_instances = 0;  // ground-truth boxes of the class
  int num_images = 0;
  std::vector<double> fppi;            // after each detection, best first
  std::vector<double> detection_rate;  // same length

  // The highest detection rate reached at an FPPI at or below `fppi_limit` (0 when none).
  double RateAtFppi(double fppi_limit) const;
};

// Scores one class. `ground_truth[i]` are the class's boxes in image i (empty for images
// without objects of the class: negatives). Detections are taken best first (ties: lower
// image index, then input order); each matches the unmatched ground-truth box of its image
// with the highest IoU, if that IoU is at least `min_iou` (true positive); otherwise it is a
// false positive. Each box is matched at most once, so a second detection of a found object
// is a false positive.
DetectionCurve ScoreDetections(const std::vector<ScoredDetection>& detections,
                               const std::vector<std::vector<cv::Rect2d>>& ground_truth,
                               double min_iou);

}  // namespace msrf
