#include "msrf/shape/mirror.h"

#include <gtest/gtest.h>

#include <vector>

#include "support/test_support.h"

namespace msrf {
namespace {

TEST(MirrorModel, ReflectsPointsAndKeepsDrawnStretches) {
  std::vector<cv::Point2d> boot = {{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}};
  auto model = ShapeModelFromPolygon(boot);
  ASSERT_TRUE(model.ok());
  auto mirrored = MirrorModel(*model);
  ASSERT_TRUE(mirrored.ok());
  EXPECT_EQ(mirrored->points.size(), model->points.size());
  EXPECT_NEAR(mirrored->perimeter, model->perimeter, 1e-6);
  EXPECT_NEAR(mirrored->centroid.x, -model->centroid.x, 1e-6);
  EXPECT_NEAR(mirrored->centroid.y, model->centroid.y, 1e-6);
}

// A boot whose heel was cut off by the drawing's frame: every mirrored point lies on the
// reflected outline, the cut stays where it was, and the name is kept.
TEST(MirrorModel, PointsLieOnTheReflectedOutlineAndTheCutMovesWithThem) {
  const std::vector<cv::Point2d> boot = {{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}};
  auto model = ShapeModelFromPolygon(boot, {1, 1, 1, 0, 1, 1});
  ASSERT_TRUE(model.ok());
  model->name = "boot";
  auto mirrored = MirrorModel(*model);
  ASSERT_TRUE(mirrored.ok());
  EXPECT_EQ(mirrored->name, "boot");
  std::vector<cv::Point2d> reflected;
  for (const cv::Point2d& p : boot) reflected.emplace_back(-p.x, p.y);
  int drawn = 0, mirrored_drawn = 0;
  for (size_t i = 0; i < mirrored->points.size(); ++i) {
    const cv::Point2d p = mirrored->points[i];
    EXPECT_LT(testing::DistanceToPolyline(p, reflected, true), 1e-6) << p;
    mirrored_drawn += mirrored->drawn[i];
    drawn += model->drawn[i];
    // The undrawn stretch is the reflected edge (80, 70) -> (80, 100): a point that starts
    // an undrawn step lies on it or within a step before it.
    if (!mirrored->drawn[i]) {
      EXPECT_LE(testing::DistanceToPolyline(p, {{-80, 70}, {-80, 100}}, false), mirrored->step())
          << p;
    }
  }
  EXPECT_EQ(mirrored_drawn, drawn);
  EXPECT_LT(drawn, static_cast<int>(model->points.size()));
}

}  // namespace
}  // namespace msrf
