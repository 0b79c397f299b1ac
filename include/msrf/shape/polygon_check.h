// Self-intersection of a closed polygon, in O(n log n): a Shamos-Hoey sweep, so that an
// outline of kMaxPolygonPoints points is checked in milliseconds (all pairs took half a
// minute at 100,000 points).
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace msrf {

// True when segments ab and cd share a point (crossing, touching or overlapping).
bool SegmentsTouch(cv::Point2d a, cv::Point2d b, cv::Point2d c, cv::Point2d d);

// A pair (i, j), i < j, of non-adjacent edges of the closed polygon (edge i runs from vertex
// i to vertex i + 1 mod n) that touch, or nothing when there is none. Adjacent edges, which
// share a vertex, are not compared, as in the all-pairs check. Consecutive vertices must
// differ; coordinates must be finite.
std::optional<std::pair<size_t, size_t>> FindTouchingEdges(const std::vector<cv::Point2d>& polygon);

}  // namespace msrf
