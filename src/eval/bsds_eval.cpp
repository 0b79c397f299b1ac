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

namespace {

Status CheckHumanMaps(const std::vector<cv::Mat>& human, cv::Size size) {
  for (size_t k = 0; k < human.size(); ++k) {
    if (human[k].type() != CV_8UC1 || human[k].size() != size) {
      return InvalidArgumentError("annotator " + std::to_string(k) + "'s map is not CV_8U of " +
                                  SizeText(size));
    }
  }
  return Status::Ok();
}

}  // namespace

double MaxMatchDistance(cv::Size size, const BsdsOptions& options) {
  return options.max_distance_ratio * std::hypot(size.width, size.height);
}

Result<std::vector<BoundaryCounts>> EvaluateBoundaryMap(const cv::Mat& strength,
                                                        const std::vector<cv::Mat>& human,
                                                        const BsdsOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (strength.empty() || strength.type() != CV_32FC1) {
    return InvalidArgumentError("the strength map is not a single-channel CV_32F map");
  }
  MSRF_RETURN_IF_ERROR(CheckHumanMaps(human, strength.size()));
  std::vector<internal::HumanPixelIndex> indexed;
  indexed.reserve(human.size());
  for (const cv::Mat& map : human) {
    indexed.emplace_back(map, MaxMatchDistance(strength.size(), options));
  }
  std::vector<const internal::HumanPixelIndex*> annotators;
  annotators.reserve(indexed.size());
  for (const internal::HumanPixelIndex& index : indexed) annotators.push_back(&index);
  return internal::CountAtThresholds(strength, annotators, options);
}

Result<std::vector<BoundaryCounts>> EvaluateHumanAgreement(const std::vector<cv::Mat>& human,
                                                           const BsdsOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  std::vector<BoundaryCounts> counts(static_cast<size_t>(options.thresholds));
  if (human.size() < 2) return counts;
  MSRF_RETURN_IF_ERROR(CheckHumanMaps(human, human[0].size()));
  // Each annotator is indexed once and matched against as one of the others n - 1 times.
  std::vector<internal::HumanPixelIndex> indexed;
  indexed.reserve(human.size());
  for (const cv::Mat& map : human) {
    indexed.emplace_back(map, MaxMatchDistance(human[0].size(), options));
  }
  for (size_t k = 0; k < human.size(); ++k) {
    std::vector<const internal::HumanPixelIndex*> others;
    for (size_t j = 0; j < human.size(); ++j) {
      if (j != k) others.push_back(&indexed[j]);
    }
    cv::Mat strength;
    human[k].convertTo(strength, CV_32F, 1.0 / 255.0);
    const std::vector<BoundaryCounts> one = internal::CountAtThresholds(strength, others, options);
    for (size_t t = 0; t < counts.size(); ++t) counts[t] += one[t];
  }
  return counts;
}

namespace internal {

std::vector<BoundaryCounts> CountAtThresholds(const cv::Mat& strength,
                                              const std::vector<const HumanPixelIndex*>& annotators,
                                              const BsdsOptions& options) {
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
  candidates.reserve(order.size());
  for (const auto& [value, at] : order)
    candidates.emplace_back(at % strength.cols, at / strength.cols);

  int64_t human_pixels = 0;
  std::vector<BoundaryMatcher> matchers;
  for (const HumanPixelIndex* annotator : annotators) {
    human_pixels += annotator->size();
    matchers.emplace_back(*annotator, candidates);
  }

  const std::vector<double> thresholds = BsdsThresholds(options);
  std::vector<BoundaryCounts> counts(thresholds.size());
  cv::Mat on = cv::Mat(strength.size(), CV_8U, cv::Scalar(0));
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
    for (BoundaryMatcher& matcher : matchers) {
      c.matched_human += matcher.Match(taken, detected);
      for (size_t i = 0; i < taken; ++i) matched_any[i] |= matcher.partner(i) >= 0 ? 1 : 0;
    }
    c.matched_detected = std::count(matched_any.begin(), matched_any.end(), uint8_t{1});
  }
  return counts;
}

}  // namespace internal
}  // namespace msrf
