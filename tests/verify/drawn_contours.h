// Small drawn cases for the verification tests: outlines turned into the fragments an image
// of them would give, and distances between outlines.
#pragma once

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "msrf/core/similarity.h"
#include "msrf/fragments/fragment.h"
#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"
#include "support/test_support.h"

namespace msrf::testing {

// A level-0 fragment along `polyline` (closed: back to its first point), one point about
// every pixel.
inline Fragment FragmentAlong(const std::vector<cv::Point2d>& polyline, bool closed = true) {
  Fragment f;
  const size_t n = polyline.size();
  for (size_t i = 0; i + (closed ? 0 : 1) < n; ++i) {
    const cv::Point2d a = polyline[i], b = polyline[(i + 1) % n];
    const int steps = std::max(1, static_cast<int>(std::ceil(cv::norm(b - a))));
    for (int k = 0; k < steps; ++k) {
      const cv::Point2d p = a + (b - a) * (static_cast<double>(k) / steps);
      f.points.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
    }
  }
  if (!closed && n > 0) f.points.emplace_back(polyline.back());
  if (closed && n > 0) f.points.push_back(f.points.front());
  return f;
}

// The oriented contours of an image of `size` in which `outlines` (closed) are drawn.
inline OrientedContours ContoursOf(const std::vector<std::vector<cv::Point2d>>& outlines,
                                   cv::Size size, bool oriented = true) {
  std::vector<Fragment> fragments;
  for (const auto& outline : outlines) fragments.push_back(FragmentAlong(outline));
  return OrientedContours(fragments, size, 1, oriented);
}

// The model's points placed by `t`.
inline std::vector<cv::Point2d> Placed(const ShapeModel& model, const Similarity& t) {
  std::vector<cv::Point2d> out;
  for (const cv::Point2d& p : model.points) out.push_back(t.Apply(p));
  return out;
}

// Mean distance from the points of `outline` to the closed polyline `to`.
inline double MeanDistance(const std::vector<cv::Point2d>& outline,
                           const std::vector<cv::Point2d>& to) {
  double sum = 0;
  for (const cv::Point2d& p : outline) sum += DistanceToPolyline(p, to, true);
  return sum / static_cast<double>(outline.size());
}

// Mean distance between corresponding points of two outlines of the same size.
inline double MeanPointDistance(const std::vector<cv::Point2d>& a,
                                const std::vector<cv::Point2d>& b) {
  double sum = 0;
  for (size_t i = 0; i < a.size(); ++i) sum += cv::norm(a[i] - b[i]);
  return sum / static_cast<double>(a.size());
}

// A model with corners on every side, so that a pose is fixed by its outline: an L-shaped
// boot, 80 x 100 model units.
inline ShapeModel BootModel() {
  auto model = ShapeModelFromPolygon({{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}});
  EXPECT_TRUE(model.ok());
  return model.ok() ? *model : ShapeModel();
}

}  // namespace msrf::testing
