#include "msrf/verify/cut_ends.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

// A square 100 x 100 whose top edge was cut off by the drawing's frame, placed at (100, 100).
struct CutSquare {
  ShapeModel model;
  std::vector<cv::Point2d> outline;

  CutSquare() {
    auto m = ShapeModelFromPolygon({{0, 0}, {100, 0}, {100, 100}, {0, 100}}, {0, 1, 1, 1});
    EXPECT_TRUE(m.ok());
    if (m.ok()) model = *m;
    Similarity t;
    t.translation = {100, 100};
    outline = testing::Placed(model, t);
  }
};

// The square's sides and bottom as one open contour, its sides reaching `above` pixels past
// the top.
OrientedContours Sides(double above) {
  Fragment f = testing::FragmentAlong(
      {{100, 100 - above}, {100, 200}, {200, 200}, {200, 100 - above}}, false);
  return OrientedContours({f}, cv::Size(300, 300), 1, true);
}

TEST(TraceCutEnds, FollowsTheContoursOnPastTheCut) {
  const CutSquare square;
  const std::vector<cv::Point2d> traced =
      TraceCutEnds(square.model, square.outline, Sides(60), 4.0, 30.0);
  ASSERT_FALSE(traced.empty());
  double top = 1e9;
  for (const cv::Point2d& p : traced) {
    top = std::min(top, p.y);
    EXPECT_LT(std::min(std::abs(p.x - 100), std::abs(p.x - 200)), 3.0) << p;
    EXPECT_GE(p.y, 100.0 - 30.0 - 4.0) << p;  // no further than the limit
  }
  EXPECT_LT(top, 100.0 - 20.0);
}

TEST(TraceCutEnds, TracesNothingWhereTheContoursEndWithTheDrawing) {
  const CutSquare square;
  for (const cv::Point2d& p : TraceCutEnds(square.model, square.outline, Sides(0), 4.0, 30.0))
    EXPECT_GT(p.y, 96.0) << p;
  EXPECT_TRUE(TraceCutEnds(square.model, square.outline, Sides(60), 4.0, 0.0).empty());
}

TEST(TraceCutEnds, TracesNothingForAWhollyDrawnModel) {
  auto m = ShapeModelFromPolygon({{0, 0}, {100, 0}, {100, 100}, {0, 100}});
  ASSERT_TRUE(m.ok());
  Similarity t;
  t.translation = {100, 100};
  EXPECT_TRUE(TraceCutEnds(*m, testing::Placed(*m, t), Sides(60), 4.0, 30.0).empty());
}

}  // namespace
}  // namespace msrf
