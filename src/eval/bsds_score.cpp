// ODS, OIS and AP from every image's counts, as the reference's collect_eval_bdry.
#include <algorithm>

#include "msrf/eval/bsds.h"

namespace msrf {

double BoundaryCounts::Recall() const {
  return human > 0 ? static_cast<double>(matched_human) / static_cast<double>(human) : 0.0;
}

double BoundaryCounts::Precision() const {
  return detected > 0 ? static_cast<double>(matched_detected) / static_cast<double>(detected) : 0.0;
}

BoundaryCounts& BoundaryCounts::operator+=(const BoundaryCounts& other) {
  matched_human += other.matched_human;
  human += other.human;
  matched_detected += other.matched_detected;
  detected += other.detected;
  return *this;
}

bool BoundaryCounts::operator==(const BoundaryCounts& other) const {
  return matched_human == other.matched_human && human == other.human &&
         matched_detected == other.matched_detected && detected == other.detected;
}

double FMeasure(double recall, double precision) {
  const double sum = recall + precision;
  return sum > 0.0 ? 2.0 * recall * precision / sum : 0.0;
}

PrPoint InterpolatedBestF(const std::vector<double>& thresholds, const std::vector<double>& recall,
                          const std::vector<double>& precision) {
  CV_Assert(thresholds.size() == recall.size() && recall.size() == precision.size() &&
            !thresholds.empty());
  PrPoint best{thresholds[0], recall[0], precision[0], FMeasure(recall[0], precision[0])};
  constexpr int kSteps = 100;  // MATLAB's linspace(0, 1): 100 points, both ends included
  for (size_t i = 1; i < thresholds.size(); ++i) {
    for (int j = 0; j < kSteps; ++j) {
      const double d = static_cast<double>(j) / (kSteps - 1);
      const double r = recall[i] * d + recall[i - 1] * (1 - d);
      const double p = precision[i] * d + precision[i - 1] * (1 - d);
      const double f = FMeasure(r, p);
      if (f > best.f) best = {thresholds[i] * d + thresholds[i - 1] * (1 - d), r, p, f};
    }
  }
  return best;
}

double AreaUnderPrCurve(const std::vector<double>& recall, const std::vector<double>& precision) {
  CV_Assert(recall.size() == precision.size());
  std::vector<size_t> order(recall.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return recall[a] < recall[b]; });
  std::vector<double> r, p;
  for (size_t i : order) {
    if (!r.empty() && r.back() == recall[i]) continue;  // keep the lowest threshold's
    r.push_back(recall[i]);
    p.push_back(precision[i]);
  }
  if (r.size() < 2) return 0.0;
  double sum = 0.0;
  for (int k = 0; k <= 100; ++k) {
    const double at = k / 100.0;
    if (at < r.front() || at > r.back()) continue;
    size_t j = static_cast<size_t>(std::upper_bound(r.begin(), r.end(), at) - r.begin()) - 1;
    j = std::min(j, r.size() - 2);
    sum += p[j] + (p[j + 1] - p[j]) * (at - r[j]) / (r[j + 1] - r[j]);
  }
  return sum * 0.01;
}

BsdsScores ScoreBsds(const std::vector<std::vector<BoundaryCounts>>& per_image,
                     const BsdsOptions& options) {
  const std::vector<double> thresholds = BsdsThresholds(options);
  const size_t n = thresholds.size();
  std::vector<BoundaryCounts> total(n);
  BoundaryCounts at_best;  // each image's counts at its own best threshold
  for (const std::vector<BoundaryCounts>& image : per_image) {
    CV_Assert(image.size() == n);
    size_t best = 0;
    double best_f = -1.0;
    for (size_t k = 0; k < n; ++k) {
      total[k] += image[k];
      const double f = FMeasure(image[k].Recall(), image[k].Precision());
      if (f > best_f) best = k, best_f = f;
    }
    at_best += image[best];
  }
  BsdsScores scores;
  scores.images = static_cast<int>(per_image.size());
  std::vector<double> recall, precision;
  for (size_t k = 0; k < n; ++k) {
    recall.push_back(total[k].Recall());
    precision.push_back(total[k].Precision());
    scores.curve.push_back({thresholds[k], recall.back(), precision.back(),
                            FMeasure(recall.back(), precision.back())});
  }
  scores.ods = InterpolatedBestF(thresholds, recall, precision);
  scores.ois = {0.0, at_best.Recall(), at_best.Precision(),
                FMeasure(at_best.Recall(), at_best.Precision())};
  scores.ap = AreaUnderPrCurve(recall, precision);
  return scores;
}

}  // namespace msrf
