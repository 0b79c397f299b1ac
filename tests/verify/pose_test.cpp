#include "msrf/verify/pose.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

// Model points on a 5 x 4 grid, 10 units apart, centred on the origin.
std::vector<cv::Point2d> GridPoints() {
  std::vector<cv::Point2d> m;
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 5; ++x) m.emplace_back(10.0 * x - 20.0, 10.0 * y - 15.0);
  }
  return m;
}

ModelPose KnownPose(double stretch) {
  ModelPose pose;
  pose.similarity.scale = 2.5;
  pose.similarity.angle = 0.15;
  pose.similarity.translation = {120, 80};
  pose.stretch = stretch;
  return pose;
}

TEST(FitPose, RecoversTheSimilarityThatPlacedThePoints) {
  const std::vector<cv::Point2d> m = GridPoints();
  const ModelPose truth = KnownPose(1.0);
  std::vector<cv::Point2d> p;
  for (const cv::Point2d& q : m) p.push_back(truth.Apply(q));
  const ModelPose fitted = FitPose(m, p, std::vector<double>(m.size(), 1.0), ModelPose(), 1.3, 0.5);
  EXPECT_NEAR(fitted.similarity.scale, 2.5, 1e-9);
  EXPECT_NEAR(fitted.similarity.angle, 0.15, 1e-9);
  EXPECT_NEAR(fitted.stretch, 1.0, 1e-9);
  EXPECT_NEAR(fitted.similarity.translation.x, 120.0, 1e-7);
  EXPECT_NEAR(fitted.similarity.translation.y, 80.0, 1e-7);
}

TEST(FitPose, RecoversAStretchWithinTheLimit) {
  const std::vector<cv::Point2d> m = GridPoints();
  const ModelPose truth = KnownPose(1.2);
  std::vector<cv::Point2d> p;
  for (const cv::Point2d& q : m) p.push_back(truth.Apply(q));
  const ModelPose fitted = FitPose(m, p, std::vector<double>(m.size(), 1.0), ModelPose(), 1.3, 0.5);
  EXPECT_NEAR(fitted.stretch, 1.2, 0.01);
  EXPECT_NEAR(fitted.similarity.scale, 2.5, 0.03);
  EXPECT_NEAR(fitted.similarity.angle, 0.15, 0.01);
  double worst = 0;
  for (size_t i = 0; i < m.size(); ++i)
    worst = std::max(worst, cv::norm(fitted.Apply(m[i]) - p[i]));
  EXPECT_LT(worst, 1.0);
}

TEST(FitPose, ClampsTheStretchAndTheAngle) {
  const std::vector<cv::Point2d> m = GridPoints();
  ModelPose truth = KnownPose(2.0);
  truth.similarity.angle = 0.4;
  std::vector<cv::Point2d> p;
  for (const cv::Point2d& q : m) p.push_back(truth.Apply(q));
  const ModelPose fitted = FitPose(m, p, std::vector<double>(m.size(), 1.0), ModelPose(), 1.3, 0.2);
  EXPECT_NEAR(fitted.stretch, 1.3, 1e-12);
  EXPECT_NEAR(fitted.similarity.angle, 0.2, 1e-12);
}

TEST(FitPose, KeepsTheStartWithoutWeight) {
  const std::vector<cv::Point2d> m = GridPoints();
  const ModelPose start = KnownPose(1.1);
  const ModelPose fitted = FitPose(m, m, std::vector<double>(m.size(), 0.0), start, 1.3, 0.5);
  EXPECT_EQ(fitted.similarity.scale, start.similarity.scale);
  EXPECT_EQ(fitted.similarity.translation, start.similarity.translation);
  EXPECT_EQ(fitted.stretch, start.stretch);
}

TEST(PlaceModel, AppliesThePoseToEveryPoint) {
  const ShapeModel model = testing::BootModel();
  const ModelPose pose = KnownPose(1.2);
  const std::vector<cv::Point2d> placed = PlaceModel(model, pose);
  ASSERT_EQ(placed.size(), model.points.size());
  for (size_t i = 0; i < placed.size(); ++i) {
    const cv::Point2d m = model.points[i];
    EXPECT_LT(cv::norm(placed[i] - pose.similarity.Apply({1.2 * m.x, m.y / 1.2})), 1e-9);
  }
}

// The boot drawn at a known pose; refinement starts 6 pixels and 5% off it.
TEST(RefinePose, MovesAPerturbedPoseBackOntoTheDrawnContours) {
  const ShapeModel model = testing::BootModel();
  Similarity truth;
  truth.scale = 2.0;
  truth.angle = 0.05;
  truth.translation = {60, 40};
  const std::vector<cv::Point2d> drawn = testing::Placed(model, truth);
  const OrientedContours contours = testing::ContoursOf({drawn}, cv::Size(300, 300));
  ModelPose start;
  start.similarity = truth;
  start.similarity.scale *= 1.05;
  start.similarity.translation += cv::Point2d(5, -3);
  const double model_size = 100.0;
  const double before = testing::MeanDistance(PlaceModel(model, start), drawn);
  const ModelPose refined = RefinePose(model, start, contours, model_size, 0.35, VerifyOptions());
  const double after = testing::MeanDistance(PlaceModel(model, refined), drawn);
  EXPECT_GT(before, 3.0);
  EXPECT_LT(after, 1.0) << "before " << before;
  EXPECT_LT(after, 0.2 * before) << "before " << before;
  // Point by point too, not only onto the outline somewhere.
  EXPECT_LT(testing::MeanPointDistance(PlaceModel(model, refined), drawn),
            0.25 * testing::MeanPointDistance(PlaceModel(model, start), drawn));
  EXPECT_NEAR(refined.similarity.scale * refined.stretch, 2.0, 0.05);
}

TEST(RefinePose, KeepsThePoseWhenNothingIsDrawn) {
  const ShapeModel model = testing::BootModel();
  const OrientedContours contours = testing::ContoursOf({}, cv::Size(300, 300));
  ModelPose start;
  start.similarity.scale = 2.0;
  start.similarity.translation = {60, 40};
  const ModelPose refined = RefinePose(model, start, contours, 100.0, 0.35, VerifyOptions());
  EXPECT_EQ(refined.similarity.scale, start.similarity.scale);
  EXPECT_EQ(refined.similarity.translation, start.similarity.translation);
  EXPECT_EQ(refined.stretch, 1.0);
}

}  // namespace
}  // namespace msrf
