#include "msrf/eval/ethz.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.h"

namespace msrf {
namespace {

const cv::Rect2d kBox(10, 10, 100, 100);

TEST(ScoreDetections, CountsADoubleDetectionAsAFalsePositive) {
  // Image 0 holds one object; image 1 is a negative.
  const std::vector<std::vector<cv::Rect2d>> gt = {{kBox}, {}};
  const std::vector<ScoredDetection> dets = {
      {0, 0.9, kBox}, {0, 0.8, cv::Rect2d(12, 12, 100, 100)}, {1, 0.7, kBox}};
  const DetectionCurve c = ScoreDetections(dets, gt, 0.5);
  EXPECT_EQ(c.num_instances, 1);
  EXPECT_EQ(c.num_images, 2);
  EXPECT_EQ(c.fppi, (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_EQ(c.detection_rate, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_DOUBLE_EQ(c.RateAtFppi(0.0), 1.0);
}

TEST(ScoreDetections, TakesDetectionsBestFirstWhateverTheInputOrder) {
  const std::vector<std::vector<cv::Rect2d>> gt = {{kBox}, {}, {}, {}, {}};
  // A false positive scored above the true one: the rate is reached at FPPI 0.2 only.
  const std::vector<ScoredDetection> dets = {{0, 0.5, kBox}, {3, 0.6, kBox}};
  const DetectionCurve c = ScoreDetections(dets, gt, 0.5);
  EXPECT_DOUBLE_EQ(c.RateAtFppi(0.1), 0.0);
  EXPECT_DOUBLE_EQ(c.RateAtFppi(0.2), 1.0);
  EXPECT_DOUBLE_EQ(c.RateAtFppi(0.4), 1.0);
}

TEST(ScoreDetections, MatchesEachBoxOnceToTheBestOverlap) {
  const cv::Rect2d left(0, 0, 100, 100), right(80, 0, 100, 100);
  const std::vector<std::vector<cv::Rect2d>> gt = {{left, right}};
  // The first detection overlaps both, `right` more; the second can then only take `left`.
  const std::vector<ScoredDetection> dets = {{0, 0.9, cv::Rect2d(70, 0, 100, 100)},
                                             {0, 0.8, cv::Rect2d(0, 0, 95, 100)}};
  const DetectionCurve c = ScoreDetections(dets, gt, 0.5);
  EXPECT_EQ(c.detection_rate.back(), 1.0);
  EXPECT_EQ(c.fppi.back(), 0.0);
}

TEST(ScoreDetections, TheLooserCriterionAcceptsSmallerOverlaps) {
  const std::vector<std::vector<cv::Rect2d>> gt = {{kBox}};
  const std::vector<ScoredDetection> dets = {{0, 1.0, cv::Rect2d(60, 10, 100, 100)}};  // IoU 1/3
  EXPECT_DOUBLE_EQ(ScoreDetections(dets, gt, 0.5).RateAtFppi(0.4), 0.0);
  EXPECT_DOUBLE_EQ(ScoreDetections(dets, gt, 0.2).RateAtFppi(0.4), 1.0);
}

TEST(ScoreDetections, HandlesNoDetectionsAndNoObjects) {
  const DetectionCurve none = ScoreDetections({}, {{kBox}, {}}, 0.5);
  EXPECT_DOUBLE_EQ(none.RateAtFppi(1.0), 0.0);
  EXPECT_TRUE(none.fppi.empty());
  const DetectionCurve empty = ScoreDetections({{0, 1.0, kBox}}, {{}}, 0.5);
  EXPECT_EQ(empty.num_instances, 0);
  EXPECT_DOUBLE_EQ(empty.fppi.back(), 1.0);
}

TEST(ReadGroundTruth, ReadsBoxesAndNamesTheBadLine) {
  testing::TempDir dir;
  std::ofstream(dir.Path("a.groundtruth")) << "1 2 30 40\n\n5 6 70 80\n";
  auto boxes = ReadGroundTruth(dir.Path("a.groundtruth"));
  ASSERT_TRUE(boxes.ok());
  ASSERT_EQ(boxes->size(), 2U);
  EXPECT_EQ((*boxes)[1], cv::Rect2d(5, 6, 65, 74));
  std::ofstream(dir.Path("b.groundtruth")) << "1 2 30 40\n1 2 three 4\n";
  auto bad = ReadGroundTruth(dir.Path("b.groundtruth"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("b.groundtruth:2"), std::string::npos);
  std::ofstream(dir.Path("c.groundtruth")) << "30 2 1 40\n";
  EXPECT_FALSE(ReadGroundTruth(dir.Path("c.groundtruth")).ok());
  EXPECT_EQ(ReadGroundTruth(dir.Path("none.groundtruth")).status().code(), StatusCode::kNotFound);
}

TEST(EthzModelName, DropsThePlural) {
  EXPECT_EQ(EthzModelName("mugs"), "mug");
  EXPECT_EQ(EthzModelName("applelogos"), "applelogo");
  EXPECT_EQ(EthzClasses().size(), 5U);
}

}  // namespace
}  // namespace msrf
