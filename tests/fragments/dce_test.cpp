#include "msrf/fragments/dce.h"

#include <gtest/gtest.h>

#include <cmath>

#include "msrf/fragments/edge_linking.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

TEST(TurnAngle, IsZeroStraightAndPiReversed) {
  EXPECT_NEAR(TurnAngle({0, 0}, {1, 0}, {2, 0}), 0.0, 1e-12);
  EXPECT_NEAR(TurnAngle({0, 0}, {1, 0}, {1, 1}), CV_PI / 2, 1e-12);
  EXPECT_NEAR(TurnAngle({0, 0}, {1, 0}, {0, 0}), CV_PI, 1e-12);
  EXPECT_NEAR(DceRelevance({0, 0}, {10, 0}, {10, 10}), CV_PI / 2 * 5.0, 1e-9);
}

// A regular polygon drawn as pixels, linked into a chain, evolved: exactly its corners
// survive, each within a couple of pixels of the true vertex.
class DceOnRasterPolygon : public ::testing::TestWithParam<int> {};

TEST_P(DceOnRasterPolygon, KeepsExactlyTheCorners) {
  const int n = GetParam();
  const auto truth = RegularPolygon({100, 100}, 70, n, 0.2);
  const std::vector<EdgeChain> chains = LinkEdges(testing::DrawOutline({200, 200}, truth));
  ASSERT_EQ(chains.size(), 1U);
  ASSERT_TRUE(chains[0].closed);
  const std::vector<cv::Point2d> curve(chains[0].points.begin(), chains[0].points.end());
  // Real corners have relevance above 40 here; rasterising leaves notches of up to ~4.
  DceOptions o;
  o.max_relevance = 6.0;
  const std::vector<int> kept = EvolveCurve(curve, /*closed=*/true, o);
  ASSERT_EQ(kept.size(), static_cast<size_t>(n));
  for (const cv::Point2d& v : truth) {
    double nearest = 1e9;
    for (int i : kept) nearest = std::min(nearest, cv::norm(curve[i] - v));
    EXPECT_LT(nearest, 2.5) << "vertex (" << v.x << ", " << v.y << ") of the " << n << "-gon";
  }
}

INSTANTIATE_TEST_SUITE_P(Polygons, DceOnRasterPolygon, ::testing::Values(3, 4, 5, 6));

TEST(EvolveCurve, KeepsTheEndsOfAnOpenCurve) {
  std::vector<cv::Point2d> l;
  for (int i = 0; i <= 40; ++i) l.emplace_back(i, 0);
  for (int i = 1; i <= 30; ++i) l.emplace_back(40, i);
  const std::vector<int> kept = EvolveCurve(l, false, DceOptions());
  EXPECT_EQ(kept, (std::vector<int>{0, 40, 70}));
}

TEST(EvolveCurve, StopsAtMinVertices) {
  const auto hexagon = RegularPolygon({0, 0}, 50, 6);
  DceOptions o;
  o.max_relevance = 1e9;
  o.min_vertices = 4;
  EXPECT_EQ(EvolveCurve(hexagon, true, o).size(), 4U);
  o.min_vertices = 2;  // a closed curve keeps at least three
  EXPECT_EQ(EvolveCurve(hexagon, true, o).size(), 3U);
}

TEST(EvolveCurve, NormalizedRelevanceIsScaleInvariant) {
  DceOptions o;
  o.normalize = true;
  o.max_relevance = 0.02;
  std::vector<cv::Point2d> small, large;
  for (int k = 0; k < 60; ++k) {
    const double a = 2 * CV_PI * k / 60;
    const double r = 40 * (1 + 0.25 * std::cos(3 * a));
    small.emplace_back(r * std::cos(a), r * std::sin(a));
    large.emplace_back(4 * r * std::cos(a), 4 * r * std::sin(a));  // x4: exact in floating point
  }
  EXPECT_EQ(EvolveCurve(small, true, o), EvolveCurve(large, true, o));
}

TEST(DceOptions, ValidateNamesTheBadField) {
  DceOptions o;
  o.max_relevance = -1;
  EXPECT_NE(o.Validate().message().find("fragments.dce_max_relevance"), std::string::npos);
  o = DceOptions();
  o.min_vertices = 1;
  EXPECT_NE(o.Validate().message().find("fragments.dce_min_vertices"), std::string::npos);
}

}  // namespace
}  // namespace msrf
