#include "msrf/verify/limb.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

// A giraffe-like outline, 220 x 200 model units: a body with a neck 30 wide rising from its
// right half to a head that points right.
ShapeModel Giraffe() {
  auto model = ShapeModelFromPolygon({{0, 100},
                                      {150, 100},
                                      {150, 0},
                                      {220, 0},
                                      {220, 25},
                                      {180, 25},
                                      {180, 100},
                                      {200, 100},
                                      {200, 200},
                                      {0, 200}});
  EXPECT_TRUE(model.ok());
  return model.ok() ? *model : ShapeModel();
}

int Nearest(const ShapeModel& model, cv::Point2d p) {
  int best = 0;
  for (size_t i = 0; i < model.points.size(); ++i) {
    if (cv::norm(model.points[i] - p) < cv::norm(model.points[static_cast<size_t>(best)] - p))
      best = static_cast<int>(i);
  }
  return best;
}

bool InLimb(const Limb& limb, int i, int n) {
  return (i - limb.first + n) % n <= (limb.last - limb.first + n) % n;
}

TEST(FindLimb, FindsTheNeckOfAGiraffe) {
  const ShapeModel model = Giraffe();
  const int n = static_cast<int>(model.points.size());
  const Limb limb = FindLimb(model);
  ASSERT_TRUE(limb.found());
  // The chord crosses the neck at its base...
  for (int end : {limb.first, limb.last}) {
    const cv::Point2d p = model.points[static_cast<size_t>(end)];
    EXPECT_GE(p.x, 140.0) << p;
    EXPECT_LE(p.x, 190.0) << p;
    EXPECT_GE(p.y, 80.0) << p;
    EXPECT_LE(p.y, 110.0) << p;
  }
  // ... and the limb holds the head, not the body.
  EXPECT_TRUE(InLimb(limb, Nearest(model, {220, 0}), n));
  EXPECT_TRUE(InLimb(limb, Nearest(model, {165, 50}), n) ||
              InLimb(limb, Nearest(model, {150, 50}), n));
  EXPECT_FALSE(InLimb(limb, Nearest(model, {0, 200}), n));
  EXPECT_FALSE(InLimb(limb, Nearest(model, {200, 200}), n));
}

TEST(FindLimb, FindsNoneOnABox) {
  auto box = ShapeModelFromPolygon({{0, 0}, {120, 0}, {120, 80}, {0, 80}});
  ASSERT_TRUE(box.ok());
  EXPECT_FALSE(FindLimb(*box).found());
}

TEST(TurnLimb, TurnsTheLimbAboutItsChordAndLeavesTheRest) {
  const ShapeModel model = Giraffe();
  const int n = static_cast<int>(model.points.size());
  const Limb limb = FindLimb(model);
  ASSERT_TRUE(limb.found());
  const double angle = 0.3;
  const std::vector<cv::Point2d> turned = TurnLimb(model.points, limb, angle);
  ASSERT_EQ(turned.size(), model.points.size());
  const cv::Point2d pivot = 0.5 * (model.points[static_cast<size_t>(limb.first)] +
                                   model.points[static_cast<size_t>(limb.last)]);
  const int head = Nearest(model, {220, 0});
  const cv::Point2d d = model.points[static_cast<size_t>(head)] - pivot;
  const cv::Point2d expected = pivot + cv::Point2d(std::cos(angle) * d.x - std::sin(angle) * d.y,
                                                   std::sin(angle) * d.x + std::cos(angle) * d.y);
  EXPECT_LT(cv::norm(turned[static_cast<size_t>(head)] - expected), 1e-9);
  for (int i = 0; i < n; ++i) {
    if (InLimb(limb, i, n) && i != limb.first && i != limb.last) continue;
    EXPECT_EQ(turned[static_cast<size_t>(i)], model.points[static_cast<size_t>(i)]) << i;
  }
  EXPECT_EQ(TurnLimb(model.points, limb, 0.0), model.points);
  EXPECT_EQ(TurnLimb(model.points, Limb(), angle), model.points);
}

// The giraffe drawn with its neck turned by 15 degrees; the turn is one of the angles tried.
TEST(BestLimbTurn, RecoversATurnedNeck) {
  const ShapeModel model = Giraffe();
  const Limb limb = FindLimb(model);
  ASSERT_TRUE(limb.found());
  Similarity t;
  t.translation = {40, 60};
  const std::vector<cv::Point2d> placed = testing::Placed(model, t);
  const double size = 220.0;
  const VerifyOptions o;
  const double truth = 15.0 * CV_PI / 180.0;
  const OrientedContours turned =
      testing::ContoursOf({TurnLimb(placed, limb, truth)}, cv::Size(320, 300));
  EXPECT_NEAR(BestLimbTurn(model, limb, placed, turned, size, o), truth, 1e-9);
  const OrientedContours upright = testing::ContoursOf({placed}, cv::Size(320, 300));
  EXPECT_EQ(BestLimbTurn(model, limb, placed, upright, size, o), 0.0);
  VerifyOptions off;
  off.max_limb_turn_deg = 0.0;
  EXPECT_EQ(BestLimbTurn(model, limb, placed, turned, size, off), 0.0);
}

}  // namespace
}  // namespace msrf
