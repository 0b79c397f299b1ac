#include "msrf/fragments/dce.h"

#include <cmath>
#include <functional>
#include <queue>
#include <tuple>

#include "msrf/core/check.h"

namespace msrf {

Status DceOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("fragments.dce_max_relevance", max_relevance, 0.0, kNoLimit));
  return CheckRange("fragments.dce_min_vertices", min_vertices, 2, std::numeric_limits<int>::max());
}

double TurnAngle(cv::Point2d a, cv::Point2d b, cv::Point2d c) {
  const cv::Point2d u = b - a;
  const cv::Point2d v = c - b;
  const double nu = std::hypot(u.x, u.y);
  const double nv = std::hypot(v.x, v.y);
  if (nu == 0.0 || nv == 0.0) return 0.0;
  return std::atan2(std::abs(u.x * v.y - u.y * v.x), u.x * v.x + u.y * v.y);
}

double DceRelevance(cv::Point2d a, cv::Point2d b, cv::Point2d c) {
  const double l1 = cv::norm(b - a);
  const double l2 = cv::norm(c - b);
  if (l1 + l2 == 0.0) return 0.0;
  return TurnAngle(a, b, c) * l1 * l2 / (l1 + l2);
}

std::vector<int> EvolveCurve(const std::vector<cv::Point2d>& curve, bool closed,
                             const DceOptions& options) {
  const int n = static_cast<int>(curve.size());
  const int floor_vertices = std::max(options.min_vertices, closed ? 3 : 2);
  std::vector<int> kept;
  if (n <= floor_vertices) {
    for (int i = 0; i < n; ++i) kept.push_back(i);
    return kept;
  }

  double unit = 1.0;
  if (options.normalize) {
    double total = 0.0;
    for (int i = 1; i < n; ++i) total += cv::norm(curve[i] - curve[i - 1]);
    if (closed) total += cv::norm(curve[0] - curve[n - 1]);
    if (total > 0.0) unit = 1.0 / total;
  }

  std::vector<int> prev(n), next(n), version(n, 0);
  std::vector<char> alive(n, 1);
  for (int i = 0; i < n; ++i) {
    prev[i] = (i + n - 1) % n;
    next[i] = (i + 1) % n;
  }
  auto removable = [&](int i) { return closed || (i != 0 && i != n - 1); };
  auto relevance = [&](int i) {
    return DceRelevance(curve[prev[i]], curve[i], curve[next[i]]) * unit;
  };

  // Min-heap on (relevance, index); stale entries are skipped by version. The index breaks
  // ties, so the result is a deterministic function of the curve.
  using Entry = std::tuple<double, int, int>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
  for (int i = 0; i < n; ++i) {
    if (removable(i)) heap.emplace(relevance(i), i, 0);
  }

  int count = n;
  while (count > floor_vertices && !heap.empty()) {
    const auto [k, i, v] = heap.top();
    if (!alive[i] || v != version[i]) {
      heap.pop();
      continue;
    }
    if (k > options.max_relevance) break;
    heap.pop();
    alive[i] = 0;
    --count;
    const int p = prev[i], q = next[i];
    next[p] = q;
    prev[q] = p;
    for (int j : {p, q}) {
      if (removable(j)) heap.emplace(relevance(j), j, ++version[j]);
    }
  }

  for (int i = 0; i < n; ++i) {
    if (alive[i]) kept.push_back(i);
  }
  return kept;
}

}  // namespace msrf
