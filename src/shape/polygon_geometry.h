// Geometry of closed polygons shared by the shape stage's sources: the signed area, and
// resampling at a constant arc-length step.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace msrf::internal {

// Positive when the polygon runs clockwise on screen (y pointing down); the last vertex is
// joined to the first.
inline double SignedArea(const std::vector<cv::Point2d>& p) {
  double a = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const cv::Point2d& u = p[i];
    const cv::Point2d& v = p[(i + 1) % p.size()];
    a += u.x * v.y - v.x * u.y;
  }
  return 0.5 * a;
}

// The arc length from the first vertex to each vertex of the closed polygon `p`, and last
// the perimeter (p.size() + 1 values).
inline std::vector<double> ClosedArcLengths(const std::vector<cv::Point2d>& p) {
  const size_t m = p.size();
  std::vector<double> cumulative(m + 1, 0.0);
  for (size_t i = 0; i < m; ++i) {
    cumulative[i + 1] = cumulative[i] + cv::norm(p[(i + 1) % m] - p[i]);
  }
  return cumulative;
}

// `n` points of the closed polygon `p` a constant arc length apart, starting at its first
// vertex; `cumulative` is ClosedArcLengths(p). segment[k], when asked for, is the segment
// (vertex i to i + 1) point k lies on.
inline std::vector<cv::Point2d> ResampleClosed(const std::vector<cv::Point2d>& p,
                                               const std::vector<double>& cumulative, int n,
                                               std::vector<size_t>* segment = nullptr) {
  const size_t m = p.size();
  const double perimeter = cumulative[m];
  std::vector<cv::Point2d> out;
  out.reserve(static_cast<size_t>(n));
  if (segment != nullptr) segment->clear();
  size_t seg = 0;
  for (int k = 0; k < n; ++k) {
    const double s = perimeter * k / n;
    while (seg + 1 < m && cumulative[seg + 1] <= s) ++seg;
    const double len = cumulative[seg + 1] - cumulative[seg];
    const double t = len > 0 ? (s - cumulative[seg]) / len : 0.0;
    out.push_back(p[seg] + t * (p[(seg + 1) % m] - p[seg]));
    if (segment != nullptr) segment->push_back(seg);
  }
  return out;
}

}  // namespace msrf::internal
