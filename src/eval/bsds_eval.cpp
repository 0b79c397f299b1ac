// One image's strength map scored at every threshold: the reference's four counts.
#include <algorithm>
#include <cmath>
#include <utility>

#include "bsds_internal.h"
#include "msrf/core/check.h"
#include "msrf/eval/bsds.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf {

using internal::SizeText;

Status BsdsOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("bsds.thresholds", thresholds, 1, 999));
  return CheckRange("bsds.max_distance_ratio", max_distance_ratio, 0.0, 0.1, Bound::kOpen);
}

std::vector<double> BsdsThresholds(const BsdsOptions& options) {
  std::vector<double> t;
  for (int k = 1; k <= options.thresholds; ++k) {
    t.push_back(static_cast<double>(k) / (options.thresholds + 1));
  }
  return t;
}

Result<std::vector<BoundaryCounts>> EvaluateBoundaryMap(const cv::Mat& strength,
                                                        const std::vector<cv::Mat>& human,
                                                        const BsdsOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (strength.empty() || strength.type() != CV_32FC1) {
    return InvalidArgumentError("the strength map is not a single-channel CV_32F map");
  }
  for (size_t k = 0; k < human.size(); ++k) {
    if (human[k].type() != CV_8UC1 || human[k].size() != strength.size()) {
      return InvalidArgumentError("annotator " + std::to_string(k) +
                                  "'s map is not CV_8U of the strength map's size (" +
                                  SizeText(strength.size()) + ")");
    }
  }

  // The pixels on at a threshold t (strength >= t, t > 0) are a prefix of the positive
  // pixels sorted by decreasing strength (ties in raster order): going down the thresholds,
  // each map is the last one plus the next run of pixels.
  std::vector<std::pair<float, int>> order;
  for (int y = 0; y < strength.rows; ++y) {
    const auto* row = strength.ptr<float>(y);
    for (int x = 0; x < strength.cols; ++x) {
      if (row[x] > 0.0F) order.emplace_back(row[x], y * strength.cols + x);
    }
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<cv::Point> candidates;
  for (const auto& [value, at] : order)
    candidates.emplace_back(at % strength.cols, at / strength.cols);

  const double max_distance = options.max_distance_ratio * std::hypot(strength.cols, strength.rows);
  std::vector<internal::HumanPixelIndex> annotators;
  int64_t human_pixels = 0;
  for (const cv::Mat& map : human) {
    annotators.emplace_back(map, max_distance);
    human_pixels += annotators.back().size();
  }
  std::vector<internal::BoundaryMatcher> matchers;
  for (const internal::HumanPixelIndex& annotator : annotators) {
    matchers.emplace_back(annotator, candidates);
  }

  const std::vector<double> thresholds = BsdsThresholds(options);
  std::vector<BoundaryCounts> counts(thresholds.size());
  cv::Mat on = cv::Mat::zeros(strength.size(), CV_8U);
  size_t taken = 0;
  std::vector<uint8_t> detected, matched_any;
  for (size_t k = thresholds.size(); k-- > 0;) {
    const size_t before = taken;
    while (taken < order.size() && static_cast<double>(order[taken].first) >= thresholds[k]) {
      on.data[order[taken].second] = 255;
      ++taken;
    }
    if (k + 1 < thresholds.size() && taken == before) {  // the pixels of the threshold above
      counts[k] = counts[k + 1];
      continue;
    }
    const cv::Mat kept = options.thin ? ThinEdges(on) : on;
    detected.resize(taken);
    BoundaryCounts& c = counts[k];
    c.human = human_pixels;
    for (size_t i = 0; i < taken; ++i) {
      detected[i] = kept.data[order[i].second] != 0 ? 1 : 0;
      c.detected += detected[i];
    }
    matched_any.assign(taken, 0);
    for (internal::BoundaryMatcher& matcher : matchers) {
      c.matched_human += matcher.Match(taken, detected);
      for (size_t i = 0; i < taken; ++i) matched_any[i] |= matcher.partner(i) >= 0 ? 1 : 0;
    }
    c.matched_detected = std::count(matched_any.begin(), matched_any.end(), uint8_t{1});
  }
  return counts;
}

}  // namespace msrf
