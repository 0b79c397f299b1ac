#include "msrf/fragments/multiscale_fragments.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "msrf/core/parallel.h"
#include "msrf/io/fragments_json.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

std::string RunWithThreads(int threads, const cv::Mat& image, const cv::Mat& strength,
                           const MultiscaleOptions& o) {
  const ThreadLimit limit(threads);
  auto result = ExtractMultiscaleFragments(image, strength, o);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return "";
  FragmentsJsonOptions json;
  json.include_timing = false;
  return FragmentsToJson(*result, o, json);
}

class SameOutputForAnyThreadCount : public ::testing::TestWithParam<EdgeMethod> {};

TEST_P(SameOutputForAnyThreadCount, OneAndTwoThreads) {
  ClutterSceneOptions scene_options;
  scene_options.seed = 11;
  const SyntheticScene scene = DrawClutterScene(scene_options);
  MultiscaleOptions o = testing::CannyMultiscaleOptions();
  o.edges.method = GetParam();
  cv::Mat strength;
  if (GetParam() == EdgeMethod::kSupplied) {
    cv::Mat edges;
    cv::Canny(scene.image, edges, 30, 90);
    cv::GaussianBlur(edges, edges, cv::Size(3, 3), 0.8);
    strength = *EdgeStrengthFromMap(edges);
  }
  const std::string one = RunWithThreads(1, scene.image, strength, o);
  const std::string two = RunWithThreads(2, scene.image, strength, o);
  EXPECT_GT(one.size(), 1000U);
  EXPECT_EQ(one, two);
}

INSTANTIATE_TEST_SUITE_P(EdgeMethods, SameOutputForAnyThreadCount,
                         ::testing::Values(EdgeMethod::kCanny, EdgeMethod::kEdgeDrawing,
                                           EdgeMethod::kSupplied));

TEST(ExtractMultiscaleFragments, GivesIdsInOrderAndPointsInLevelZeroCoordinates) {
  const auto square = std::vector<cv::Point2d>{{60, 50}, {260, 50}, {260, 190}, {60, 190}};
  const cv::Mat image = testing::DrawFilledShape({320, 240}, square);
  auto result = ExtractMultiscaleFragments(image, cv::Mat(), testing::CannyMultiscaleOptions());
  ASSERT_TRUE(result.ok());
  ASSERT_GE(result->levels.size(), 3U);
  int previous_level = 0;
  for (size_t i = 0; i < result->fragments.size(); ++i) {
    const Fragment& f = result->fragments[i];
    EXPECT_EQ(f.id, static_cast<int>(i));
    EXPECT_GE(f.level, previous_level);
    previous_level = f.level;
    // Every level sees the same square in level-0 pixels; coarser levels blur it more.
    for (const cv::Point2f& p : f.resampled) {
      EXPECT_LT(testing::DistanceToPolyline(p, square, true), 1.5 + 1.5 * f.level)
          << "fragment " << f.id << " level " << f.level;
    }
  }
}

TEST(ExtractMultiscaleFragments, RefusesInconsistentInputs) {
  const cv::Mat image(100, 120, CV_8UC1, cv::Scalar(0));
  MultiscaleOptions o = testing::CannyMultiscaleOptions();
  EXPECT_EQ(ExtractMultiscaleFragments(cv::Mat(), cv::Mat(), o).status().code(),
            StatusCode::kInvalidArgument);
  o.edges.method = EdgeMethod::kSupplied;
  EXPECT_EQ(ExtractMultiscaleFragments(image, cv::Mat(), o).status().code(),
            StatusCode::kFailedPrecondition);
  const cv::Mat wrong_size = cv::Mat::zeros(100, 100, CV_32F);
  auto r = ExtractMultiscaleFragments(image, wrong_size, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("100x100"), std::string::npos);
  o.edges.method = EdgeMethod::kCanny;
  EXPECT_FALSE(ExtractMultiscaleFragments(image, cv::Mat::zeros(100, 120, CV_32F), o).ok());
  o.pyramid.num_levels = 0;
  EXPECT_EQ(ExtractMultiscaleFragments(image, cv::Mat(), o).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(ExtractMultiscaleFragments, FindsNothingInAFlatImage) {
  auto r = ExtractMultiscaleFragments(cv::Mat(80, 80, CV_8UC3, cv::Scalar::all(128)), cv::Mat(),
                                      testing::CannyMultiscaleOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->fragments.empty());
  EXPECT_FALSE(r->levels.empty());
}

}  // namespace
}  // namespace msrf
