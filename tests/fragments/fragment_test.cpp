#include "msrf/fragments/fragment.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

const cv::Matx23d kIdentity(1, 0, 0, 0, 1, 0);

std::vector<Fragment> FragmentsOf(const cv::Mat& edges, const FragmentOptions& o = {}) {
  std::vector<Fragment> out;
  for (const EdgeChain& c : LinkEdges(edges)) {
    for (Fragment& f : CutChain(c, 0, 1.0, kIdentity, o)) out.push_back(std::move(f));
  }
  return out;
}

TEST(CutChain, CutsASquareIntoItsFourSides) {
  const std::vector<cv::Point2d> square = {{40, 40}, {160, 40}, {160, 160}, {40, 160}};
  const auto fragments = FragmentsOf(testing::DrawOutline({200, 200}, square));
  ASSERT_EQ(fragments.size(), 4U);
  for (const Fragment& f : fragments) {
    EXPECT_FALSE(f.closed);
    EXPECT_NEAR(f.length, 120.0, 3.0);
    // Both ends on corners, every point on the outline.
    for (const cv::Point2f& end : {f.points.front(), f.points.back()}) {
      double nearest = 1e9;
      for (const cv::Point2d& c : square)
        nearest = std::min(nearest, cv::norm(cv::Point2d(end) - c));
      EXPECT_LT(nearest, 2.5);
    }
    for (const cv::Point2f& p : f.points) {
      EXPECT_LT(testing::DistanceToPolyline(p, square, true), 1.0);
    }
  }
}

TEST(CutChain, CutsATriangleAtItsAcuteCorners) {
  const auto triangle = RegularPolygon({100, 100}, 70, 3, 0.2);
  const auto fragments = FragmentsOf(testing::DrawOutline({200, 200}, triangle));
  ASSERT_EQ(fragments.size(), 3U);
  for (const Fragment& f : fragments) EXPECT_NEAR(f.length, 70 * std::sqrt(3.0), 4.0);
}

TEST(CutChain, KeepsACircleWholeAndClosed) {
  cv::Mat edges = cv::Mat::zeros(200, 200, CV_8U);
  cv::circle(edges, {100, 100}, 60, cv::Scalar(255), 1, cv::LINE_8);
  const auto fragments = FragmentsOf(edges);
  ASSERT_EQ(fragments.size(), 1U);
  EXPECT_TRUE(fragments[0].closed);
  EXPECT_NEAR(fragments[0].length, 2 * CV_PI * 60, 2 * CV_PI * 60 * 0.1);
  EXPECT_NEAR(fragments[0].bbox.width, 120, 2);
}

TEST(CutChain, BrokenContourGivesOneFragmentPerPiece) {
  // A square whose top and bottom sides have 8-pixel gaps: two U-shaped chains, each cut at
  // its two corners into three fragments.
  cv::Mat edges = testing::DrawOutline({200, 200}, {{40, 40}, {160, 40}, {160, 160}, {40, 160}});
  edges(cv::Rect(96, 36, 8, 8)).setTo(0);
  edges(cv::Rect(96, 156, 8, 8)).setTo(0);
  const auto fragments = FragmentsOf(edges);
  EXPECT_EQ(LinkEdges(edges).size(), 2U);
  ASSERT_EQ(fragments.size(), 6U);
  int sides = 0, halves = 0;
  for (const Fragment& f : fragments) {
    sides += std::abs(f.length - 120) < 3;
    halves += std::abs(f.length - 56) < 4;
  }
  EXPECT_EQ(sides, 2);
  EXPECT_EQ(halves, 4);
}

TEST(CutChain, DropsFragmentsShorterThanTheMinimum) {
  cv::Mat edges = cv::Mat::zeros(50, 50, CV_8U);
  cv::line(edges, {5, 5}, {12, 5}, cv::Scalar(255));    // 7 px
  cv::line(edges, {5, 30}, {40, 30}, cv::Scalar(255));  // 35 px
  FragmentOptions o;
  o.min_length = 10;
  const auto fragments = FragmentsOf(edges, o);
  ASSERT_EQ(fragments.size(), 1U);
  EXPECT_NEAR(fragments[0].length, 35, 1e-6);
}

TEST(CutChain, MapsLevelPixelsToLevelZero) {
  EdgeChain chain;
  for (int x = 10; x <= 30; ++x) chain.points.emplace_back(x, 5);
  const double s = 2.0;  // a level at half size
  const cv::Matx23d to_level0(s, 0, 0.5 * s - 0.5, 0, s, 0.5 * s - 0.5);
  const auto fragments = CutChain(chain, 2, 0.5, to_level0, FragmentOptions());
  ASSERT_EQ(fragments.size(), 1U);
  EXPECT_EQ(fragments[0].level, 2);
  EXPECT_FLOAT_EQ(fragments[0].points.front().x, 20.5F);
  EXPECT_FLOAT_EQ(fragments[0].points.front().y, 10.5F);
  EXPECT_NEAR(fragments[0].length, 40.0, 1e-4);
  // Resampled every 2 level pixels = 4 level-0 pixels.
  EXPECT_EQ(fragments[0].resampled.size(), 11U);
}

TEST(ResamplePolyline, HasConstantStepAndKeepsBothEnds) {
  const std::vector<cv::Point2f> line = {{0, 0}, {10, 0}, {10, 7.5}};
  const auto r = ResamplePolyline(line, 2.0);
  ASSERT_GE(r.size(), 3U);
  EXPECT_EQ(r.front(), line.front());
  EXPECT_EQ(r.back(), line.back());
  // 17.5 long: points at arc length 0, 2, ..., 16, then the end.
  EXPECT_EQ(r.size(), 10U);
  EXPECT_NEAR(r[5].x, 10.0, 1e-5);
  EXPECT_NEAR(r[5].y, 0.0, 1e-5);
  EXPECT_NEAR(r[6].y, 2.0, 1e-5);
}

TEST(FragmentOptions, ValidateNamesTheBadField) {
  FragmentOptions o;
  o.min_length = 0;
  EXPECT_NE(o.Validate().message().find("fragments.min_length"), std::string::npos);
  o = FragmentOptions();
  o.cut_angle_deg = 200;
  EXPECT_NE(o.Validate().message().find("fragments.cut_angle_deg"), std::string::npos);
  o = FragmentOptions();
  o.resample_step = 0;
  EXPECT_NE(o.Validate().message().find("fragments.resample_step"), std::string::npos);
}

}  // namespace
}  // namespace msrf
