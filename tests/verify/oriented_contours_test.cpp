#include "msrf/verify/oriented_contours.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

using testing::FragmentAlong;

// A horizontal line at y = 50 from x = 10 to x = 90 in a 100 x 100 image.
std::vector<Fragment> HorizontalLine(int level = 0) {
  Fragment f = FragmentAlong({{10, 50}, {90, 50}}, false);
  f.level = level;
  return {f};
}

TEST(OrientedContours, MeasuresTheDistanceToContoursOfTheSameOrientation) {
  const OrientedContours contours(HorizontalLine(), cv::Size(100, 100), 1, true);
  const int along = contours.Channel({1, 0});
  EXPECT_NEAR(contours.Distance(along, {50, 60}), 10.0, 0.5);
  EXPECT_EQ(contours.Nearest(along, {50, 60}), cv::Point(50, 50));
  EXPECT_NEAR(contours.Distance(along, {50, 50}), 0.0, 1e-6);
  // A vertical direction does not see the horizontal line.
  const int across = contours.Channel({0, 1});
  EXPECT_NE(across, along);
  EXPECT_GT(contours.Distance(across, {50, 60}), 40.0);
}

TEST(OrientedContours, UnorientedSeesEveryContourInOneChannel) {
  const OrientedContours contours(HorizontalLine(), cv::Size(100, 100), 1, false);
  EXPECT_EQ(contours.Channel({0, 1}), 0);
  EXPECT_EQ(contours.Channel({1, 0}), 0);
  EXPECT_NEAR(contours.Distance(contours.Channel({0, 1}), {50, 60}), 10.0, 0.5);
}

TEST(OrientedContours, IgnoresFragmentsAboveTheMaximumLevel) {
  const OrientedContours contours(HorizontalLine(2), cv::Size(100, 100), 1, true);
  EXPECT_GT(contours.Distance(contours.Channel({1, 0}), {50, 50}), 40.0);
  EXPECT_EQ(cv::countNonZero(contours.near_any()), 0);
}

TEST(OrientedContours, NearAnyMarksContourPixelsAndTheirNeighbours) {
  const OrientedContours contours(HorizontalLine(), cv::Size(100, 100), 1, true);
  EXPECT_EQ(contours.near_any().at<uint8_t>(51, 50), 255);
  EXPECT_EQ(contours.near_any().at<uint8_t>(49, 50), 255);
  EXPECT_EQ(contours.near_any().at<uint8_t>(53, 50), 0);
  EXPECT_TRUE(contours.Inside({99, 99}));
  EXPECT_FALSE(contours.Inside({-0.5, 50}));
  EXPECT_FALSE(contours.Inside({50, 99.5}));
}

TEST(OrientedContours, NearFractionCountsPixelsWithinTheTolerance) {
  const OrientedContours contours(HorizontalLine(), cv::Size(100, 100), 1, true);
  const int along = contours.Channel({1, 0});
  // Rows 48 to 52 of the 20 rows 40..59, over columns 20..79.
  EXPECT_NEAR(contours.NearFraction(along, cv::Rect(20, 40, 60, 20), 2.0), 5.0 / 20.0, 1e-9);
  EXPECT_EQ(contours.NearFraction(along, cv::Rect(20, 0, 60, 20), 2.0), 0.0);
  EXPECT_EQ(contours.NearFraction(along, cv::Rect(200, 200, 10, 10), 2.0), 0.0);
}

TEST(PairWithContour, PairsAPointWithTheNearestContourOfItsOrientationWithinTheRadius) {
  const OrientedContours contours(HorizontalLine(), cv::Size(100, 100), 1, true);
  // A horizontal run of points 4 pixels below the line.
  const std::vector<cv::Point2d> points = {{48, 54}, {50, 54}, {52, 54}};
  const ContourPair near = PairWithContour(contours, points, 1, 8.0);
  ASSERT_TRUE(near.found);
  EXPECT_EQ(near.target, cv::Point2d(50, 50));
  EXPECT_NEAR(near.weight, (1 - 0.25) * (1 - 0.25), 1e-2);  // Tukey at d / radius = 1/2
  EXPECT_FALSE(PairWithContour(contours, points, 1, 3.0).found);
  // The same points running vertically find no contour of their orientation.
  const std::vector<cv::Point2d> vertical = {{50, 52}, {50, 54}, {50, 56}};
  EXPECT_FALSE(PairWithContour(contours, vertical, 1, 8.0).found);
  const std::vector<cv::Point2d> outside = {{-8, 54}, {-10, 54}, {-12, 54}};
  EXPECT_FALSE(PairWithContour(contours, outside, 1, 100.0).found);
}

}  // namespace
}  // namespace msrf
