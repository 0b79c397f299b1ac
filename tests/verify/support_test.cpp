#include "msrf/verify/support.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

struct PlacedBoot {
  ShapeModel model = testing::BootModel();
  std::vector<cv::Point2d> placed;
  static constexpr double kSize = 200.0;  // 100 model units at scale 2

  PlacedBoot() {
    Similarity t;
    t.scale = 2.0;
    t.translation = {60, 40};
    placed = testing::Placed(model, t);
  }
};

TEST(Verify, SupportsAModelOnItsOwnOutline) {
  const PlacedBoot boot;
  const OrientedContours contours = testing::ContoursOf({boot.placed}, cv::Size(300, 300));
  const Verification v = Verify(boot.model, boot.placed, PlacedBoot::kSize, contours, {});
  EXPECT_GT(v.support, 0.95);
  EXPECT_NEAR(v.box.x, 60.0, 1e-9);
  EXPECT_NEAR(v.box.y, 40.0, 1e-9);
  EXPECT_NEAR(v.box.width, 160.0, 1e-9);
  EXPECT_NEAR(v.box.height, 200.0, 1e-9);
}

TEST(Verify, FindsNoSupportInAnEmptyImage) {
  const PlacedBoot boot;
  const OrientedContours contours = testing::ContoursOf({}, cv::Size(300, 300));
  EXPECT_EQ(Verify(boot.model, boot.placed, PlacedBoot::kSize, contours, {}).support, 0.0);
}

TEST(Verify, FindsLittleSupportOnAnotherShape) {
  const PlacedBoot boot;
  std::vector<cv::Point2d> elsewhere = boot.placed;
  for (cv::Point2d& p : elsewhere) p += cv::Point2d(30, 25);
  const OrientedContours contours = testing::ContoursOf({elsewhere}, cv::Size(300, 300));
  EXPECT_LT(Verify(boot.model, boot.placed, PlacedBoot::kSize, contours, {}).support, 0.3);
}

// Only the boot's lower half drawn: the support lies between none and all.
TEST(Verify, CountsHalfADrawing) {
  const PlacedBoot boot;
  std::vector<cv::Point2d> lower;
  for (const cv::Point2d& p : boot.placed) lower.push_back({p.x, std::max(p.y, 140.0)});
  const OrientedContours contours = testing::ContoursOf({lower}, cv::Size(300, 300));
  const double support = Verify(boot.model, boot.placed, PlacedBoot::kSize, contours, {}).support;
  EXPECT_GT(support, 0.2);
  EXPECT_LT(support, 0.8);
}

TEST(TurningAngle, IsARightAngleAtASquaresCornerAndNoneAlongItsSides) {
  std::vector<cv::Point2d> square;
  for (int k = 0; k < 20; ++k) square.emplace_back(k, 0);
  for (int k = 0; k < 20; ++k) square.emplace_back(20, k);
  for (int k = 0; k < 20; ++k) square.emplace_back(20 - k, 20);
  for (int k = 0; k < 20; ++k) square.emplace_back(0, 20 - k);
  EXPECT_NEAR(TurningAngle(square, 20), CV_PI / 2, 1e-12);
  EXPECT_NEAR(TurningAngle(square, 10), 0.0, 1e-12);
  EXPECT_NEAR(TurningAngle(square, 0), CV_PI / 2, 1e-12);
}

}  // namespace
}  // namespace msrf
