// Discrete curve evolution (Latecki & Lakaemper 1999): simplifies a polygonal curve by
// repeatedly deleting the vertex of least relevance
//
//   K(v) = beta(v) * l1 * l2 / (l1 + l2),
//
// beta the turn angle at v (radians), l1 and l2 the lengths of its two sides. The vertices
// that survive are the curve's visually significant corners.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"

namespace msrf {

struct DceOptions {
  // Stop when the least relevant vertex has K above this. With `normalize` off, K is in
  // pixels (radians x pixels), so curves are simplified alike whatever their length: a
  // pixel staircase has K below 1, a real corner tens. In [0, inf). 1.5 lies just above the
  // staircase, so every real corner survives as a candidate (cuts are decided by
  // FragmentOptions::cut_angle_deg).
  double max_relevance = 1.5;
  // Stop when this many vertices are left; at least 2 for open curves, 3 for closed ones. 2:
  // the fewest allowed, so that max_relevance alone decides when evolution stops (closed
  // curves keep 3 regardless).
  int min_vertices = 2;
  // Divide side lengths by the curve's total length first, as in the original paper (K is
  // then scale-invariant and unit-less). Off: a chain's corners should not depend on what
  // else the chain is joined to (docs/fragments.md).
  bool normalize = false;

  Status Validate() const;
};

// Indices (increasing) of the vertices of `curve` that survive evolution. An open curve
// always keeps its two end points.
std::vector<int> EvolveCurve(const std::vector<cv::Point2d>& curve, bool closed,
                             const DceOptions& options);

// The relevance K of vertex b between a and c (lengths not normalised).
double DceRelevance(cv::Point2d a, cv::Point2d b, cv::Point2d c);

// The turn angle at b in [0, pi]: 0 when a, b, c are collinear in that order.
double TurnAngle(cv::Point2d a, cv::Point2d b, cv::Point2d c);

}  // namespace msrf
