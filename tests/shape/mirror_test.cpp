#include "msrf/shape/mirror.h"

#include <gtest/gtest.h>

#include <cmath>
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

// A boot with a cut, stretched wider and narrower: point i is point i of the model stretched,
// with its drawn flag, the start stays the topmost point, and the outline keeps its order.
TEST(StretchModel, StretchesPointForPointAndKeepsIndicesAndCuts) {
  const std::vector<cv::Point2d> boot = {{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}};
  auto model = ShapeModelFromPolygon(boot, {1, 1, 1, 0, 1, 1});
  ASSERT_TRUE(model.ok());
  model->name = "boot";
  for (double k : {0.6, 1.0, 1.5}) {
    auto stretched = StretchModel(*model, k);
    ASSERT_TRUE(stretched.ok()) << k;
    EXPECT_EQ(stretched->name, "boot");
    ASSERT_EQ(stretched->points.size(), model->points.size());
    for (size_t i = 0; i < model->points.size(); ++i) {
      EXPECT_NEAR(stretched->points[i].x, k * model->points[i].x, 1e-9) << k << " " << i;
      EXPECT_NEAR(stretched->points[i].y, model->points[i].y / k, 1e-9) << k << " " << i;
      EXPECT_EQ(stretched->drawn[i], model->drawn[i]) << k << " " << i;
    }
    const double aspect = stretched->bbox.width / stretched->bbox.height;
    EXPECT_NEAR(aspect, k * k * model->bbox.width / model->bbox.height, 1e-9) << k;
  }
}

TEST(StretchModel, RefusesAStretchThatIsNotPositive) {
  auto model = ShapeModelFromPolygon({{0, 0}, {30, 0}, {30, 60}, {0, 60}});
  ASSERT_TRUE(model.ok());
  for (double k : {0.0, -1.0, std::nan("")}) {
    const Result<ShapeModel> stretched = StretchModel(*model, k);
    ASSERT_FALSE(stretched.ok()) << k;
    EXPECT_EQ(stretched.status().message(), "the stretch must be positive");
  }
}

}  // namespace
}  // namespace msrf
