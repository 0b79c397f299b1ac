#include "msrf/grouping/hypotheses.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "msrf/core/check.h"

namespace msrf {

Status HypothesisOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("hypotheses.log_scale_bin", log_scale_bin));
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("hypotheses.position_bin", position_bin));
  MSRF_RETURN_IF_ERROR(CheckRange("hypotheses.peak_pool", peak_pool, 1.0, 10.0));
  MSRF_RETURN_IF_ERROR(CheckRange("hypotheses.max_hypotheses", max_hypotheses, 1, 1000));
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("hypotheses.centre_tolerance", centre_tolerance));
  return CheckFinitePositive("hypotheses.scale_tolerance", scale_tolerance);
}

namespace {

double VoteWeight(const Candidate& c) { return c.quality * std::sqrt(c.arc_fraction); }

}  // namespace

// Bins are a fraction of the object size wide, so they grow with the scale they stand for; a
// bin's strength is the sum of its 3 x 3 x 3 neighbourhood, and peaks are bins no spatial
// neighbour beats.
std::vector<Hypothesis> FindHypotheses(const std::vector<Candidate>& candidates, double model_size,
                                       const HypothesisOptions& o) {
  using Key = std::tuple<int, int, int>;  // (scale bin, x bin, y bin)
  auto spatial = [&](int is) {
    return o.position_bin * model_size * std::exp((is + 0.5) * o.log_scale_bin);
  };
  auto key_of = [&](cv::Point2d p, int is) {
    const double b = spatial(is);
    return Key{is, static_cast<int>(std::floor(p.x / b)), static_cast<int>(std::floor(p.y / b))};
  };
  std::map<Key, double> bins;
  for (const Candidate& c : candidates) {
    const int is = static_cast<int>(std::floor(std::log(c.transform.scale) / o.log_scale_bin));
    bins[key_of(c.centre, is)] += VoteWeight(c);
  }
  auto neighbourhood = [&](const Key& k) {
    const auto [is, ix, iy] = k;
    const double b = spatial(is);
    const cv::Point2d centre((ix + 0.5) * b, (iy + 0.5) * b);
    double sum = 0;
    for (int ds = -1; ds <= 1; ++ds) {
      const auto [js, jx, jy] = key_of(centre, is + ds);
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          auto it = bins.find(Key{js, jx + dx, jy + dy});
          if (it != bins.end()) sum += it->second;
        }
      }
    }
    return sum;
  };
  std::map<Key, double> strength;
  for (const auto& [k, w] : bins) strength[k] = neighbourhood(k);
  std::vector<std::pair<double, Key>> peaks;
  for (const auto& [k, s] : strength) {
    const auto [is, ix, iy] = k;
    bool is_peak = true;
    for (int dy = -1; dy <= 1 && is_peak; ++dy) {
      for (int dx = -1; dx <= 1 && is_peak; ++dx) {
        if (dx == 0 && dy == 0) continue;
        auto it = strength.find(Key{is, ix + dx, iy + dy});
        if (it != strength.end() && (it->second > s || (it->second == s && it->first < k)))
          is_peak = false;
      }
    }
    if (is_peak) peaks.emplace_back(s, k);
  }
  std::stable_sort(peaks.begin(), peaks.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  // Refine the strongest peaks: twice, the weighted mean of the votes that agree with the
  // peak. Then rank them by the weight of those votes, which does not depend on where the bin
  // edges fell as the bins' sums do.
  const size_t refined =
      std::min(peaks.size(), static_cast<size_t>(std::ceil(o.peak_pool * o.max_hypotheses)));
  std::vector<Hypothesis> pool;
  pool.reserve(refined);
  for (size_t p = 0; p < refined; ++p) {
    const auto& [s, k] = peaks[p];
    const auto [is, ix, iy] = k;
    const double b = spatial(is);
    Hypothesis h{{(ix + 0.5) * b, (iy + 0.5) * b}, (is + 0.5) * o.log_scale_bin, s};
    for (int pass = 0; pass < 2; ++pass) {
      const double size = model_size * std::exp(h.log_scale);
      cv::Point2d sum(0, 0);
      double ls = 0, total = 0;
      for (const Candidate& c : candidates) {
        if (cv::norm(c.centre - h.centre) > o.centre_tolerance * size) continue;
        if (std::abs(std::log(c.transform.scale) - h.log_scale) > o.scale_tolerance) continue;
        const double w = VoteWeight(c);
        sum += w * c.centre;
        ls += w * std::log(c.transform.scale);
        total += w;
      }
      if (total <= 0) break;
      h.centre = sum / total;
      h.log_scale = ls / total;
      h.weight = total;
    }
    pool.push_back(h);
  }
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.weight > b.weight; });

  std::vector<Hypothesis> out;
  for (const Hypothesis& h : pool) {
    if (static_cast<int>(out.size()) >= o.max_hypotheses) break;
    // Skip peaks that converged onto a stronger one.
    bool duplicate = false;
    for (const Hypothesis& g : out) {
      const double size = model_size * std::exp(g.log_scale);
      duplicate |= cv::norm(g.centre - h.centre) < 0.5 * o.centre_tolerance * size &&
                   std::abs(g.log_scale - h.log_scale) < 0.5 * o.scale_tolerance;
    }
    if (!duplicate) out.push_back(h);
  }
  return out;
}

}  // namespace msrf
