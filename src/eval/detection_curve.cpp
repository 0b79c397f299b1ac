#include "msrf/eval/detection_curve.h"

#include <algorithm>
#include <numeric>

#include "msrf/core/box.h"

namespace msrf {

double DetectionCurve::RateAtFppi(double fppi_limit) const {
  double best = 0.0;
  for (size_t i = 0; i < fppi.size(); ++i) {
    if (fppi[i] <= fppi_limit + 1e-12) best = std::max(best, detection_rate[i]);
  }
  return best;
}

DetectionCurve ScoreDetections(const std::vector<ScoredDetection>& detections,
                               const std::vector<std::vector<cv::Rect2d>>& ground_truth,
                               double min_iou) {
  DetectionCurve curve;
  curve.num_images = static_cast<int>(ground_truth.size());
  for (const auto& boxes : ground_truth) curve.num_instances += static_cast<int>(boxes.size());
  std::vector<size_t> order(detections.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (detections[a].score != detections[b].score)
      return detections[a].score > detections[b].score;
    return detections[a].image < detections[b].image;
  });
  std::vector<std::vector<char>> matched(ground_truth.size());
  for (size_t i = 0; i < ground_truth.size(); ++i) matched[i].assign(ground_truth[i].size(), 0);
  int tp = 0, fp = 0;
  for (size_t k : order) {
    const ScoredDetection& d = detections[k];
    bool hit = false;
    if (d.image >= 0 && d.image < curve.num_images) {
      const auto& boxes = ground_truth[static_cast<size_t>(d.image)];
      int best = -1;
      double best_iou = min_iou;
      for (size_t b = 0; b < boxes.size(); ++b) {
        const double iou = BoxIou(d.box, boxes[b]);
        if (!matched[static_cast<size_t>(d.image)][b] && iou >= best_iou) {
          if (best < 0 || iou > best_iou) {
            best = static_cast<int>(b);
            best_iou = iou;
          }
        }
      }
      if (best >= 0) {
        matched[static_cast<size_t>(d.image)][static_cast<size_t>(best)] = 1;
        hit = true;
      }
    }
    hit ? ++tp : ++fp;
    curve.fppi.push_back(curve.num_images > 0 ? static_cast<double>(fp) / curve.num_images : 0.0);
    curve.detection_rate.push_back(
        curve.num_instances > 0 ? static_cast<double>(tp) / curve.num_instances : 0.0);
  }
  return curve;
}

}  // namespace msrf
