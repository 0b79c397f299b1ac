// Contour accuracy on drawn cases with known answers, and ETHZ's outline files.
#include "msrf/eval/contours.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <fstream>

#include "support/test_support.h"

namespace msrf {
namespace {

// A circle of radius r around (cx, cy), as n points.
std::vector<cv::Point2d> Circle(double cx, double cy, double r, int n = 90) {
  std::vector<cv::Point2d> points;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * CV_PI * i / n;
    points.emplace_back(cx + r * std::cos(a), cy + r * std::sin(a));
  }
  return points;
}

// The pixels of a one-pixel circle.
std::vector<cv::Point> CirclePixels(int cx, int cy, int r) {
  cv::Mat m(200, 200, CV_8U, cv::Scalar(0));
  cv::circle(m, cv::Point(cx, cy), r, cv::Scalar(255), 1);
  std::vector<cv::Point> points;
  cv::findNonZero(m, points);
  return points;
}

TEST(MatchContour, TheSameCurveCoversAndIsPrecise) {
  const ContourMatch m = MatchContour(CirclePixels(100, 100, 50), {Circle(100, 100, 50)}, true, 2);
  EXPECT_GT(m.coverage, 0.99);
  EXPECT_GT(m.precision, 0.99);
  EXPECT_GT(m.F(), 0.99);
}

TEST(MatchContour, AShiftWithinTheToleranceCountsBeyondItDoesNot) {
  const auto truth = CirclePixels(100, 100, 50);
  const ContourMatch near = MatchContour(truth, {Circle(103, 100, 50)}, true, 4);
  EXPECT_GT(near.coverage, 0.99);
  EXPECT_GT(near.precision, 0.99);
  // A circle 10 pixels larger lies 10 pixels away everywhere.
  const ContourMatch far = MatchContour(truth, {Circle(100, 100, 60)}, true, 4);
  EXPECT_EQ(far.coverage, 0.0);
  EXPECT_EQ(far.precision, 0.0);
}

TEST(MatchContour, HalfTheOutlineCoversHalfAndIsPrecise) {
  std::vector<cv::Point2d> half = Circle(100, 100, 50, 180);
  half.resize(91);  // from angle 0 to pi
  const ContourMatch m = MatchContour(CirclePixels(100, 100, 50), {half}, false, 2);
  EXPECT_NEAR(m.coverage, 0.5, 0.03);
  EXPECT_GT(m.precision, 0.99);
  // Closing it adds the diameter, which is off the outline.
  const ContourMatch closed = MatchContour(CirclePixels(100, 100, 50), {half}, true, 2);
  EXPECT_LT(closed.precision, 0.7);
}

TEST(MatchContour, NothingMatchesNothing) {
  EXPECT_EQ(MatchContour({}, {Circle(10, 10, 5)}, true, 2).coverage, 0.0);
  EXPECT_EQ(MatchContour(CirclePixels(50, 50, 20), {}, true, 2).precision, 0.0);
}

TEST(OutlinesOfDrawing, EachGrayLevelIsOneObjectThinnedToItsCentreLine) {
  cv::Mat drawing(120, 200, CV_8U, cv::Scalar(0));
  cv::circle(drawing, cv::Point(50, 60), 30, cv::Scalar(100), 5);
  cv::rectangle(drawing, cv::Point(110, 20), cv::Point(180, 100), cv::Scalar(200), 5);
  const auto outlines = OutlinesOfDrawing(drawing);
  ASSERT_EQ(outlines.size(), 2U);
  // The circle's centre line: about 2 pi 30 pixels, all near radius 30.
  const auto& circle = outlines[0];
  EXPECT_GT(circle.size(), 140U);
  EXPECT_LT(circle.size(), 230U);
  for (const cv::Point& p : circle) EXPECT_NEAR(std::hypot(p.x - 50, p.y - 60), 30.0, 2.0);
  EXPECT_EQ(cv::boundingRect(outlines[1]).x, 110);
}

TEST(ReadDatasetOutlines, AssignsEachDrawingToTheBoxItOverlaps) {
  testing::TempDir dir;
  // Two objects in one outlines file (gray levels), a third in a mask of its own; the boxes
  // are listed in another order than the drawings.
  cv::Mat both(200, 300, CV_8U, cv::Scalar(0));
  cv::rectangle(both, cv::Point(10, 10), cv::Point(60, 60), cv::Scalar(100), 3);
  cv::rectangle(both, cv::Point(100, 10), cv::Point(180, 90), cv::Scalar(150), 3);
  const std::string pgm = (dir.path() / "a_mugs_outlines.pgm").string();
  ASSERT_TRUE(cv::imwrite(pgm, both));
  cv::Mat third(200, 300, CV_8U, cv::Scalar(0));
  cv::circle(third, cv::Point(230, 150), 30, cv::Scalar(76), 2);
  const std::string png = (dir.path() / "a.mask.0.png").string();
  ASSERT_TRUE(cv::imwrite(png, third));
  DatasetImage image;
  image.objects = {{"mugs", cv::Rect2d(100, 10, 80, 80)},
                   {"mugs", cv::Rect2d(5, 150, 20, 20)},
                   {"mugs", cv::Rect2d(200, 120, 60, 60)},
                   {"mugs", cv::Rect2d(10, 10, 50, 50)}};
  image.outline_paths = {pgm, png};
  Result<std::vector<std::vector<cv::Point>>> outlines = ReadDatasetOutlines(image);
  ASSERT_TRUE(outlines.ok()) << outlines.status().ToString();
  ASSERT_EQ(outlines->size(), 4U);
  EXPECT_EQ(cv::boundingRect((*outlines)[0]).x, 100);
  EXPECT_TRUE((*outlines)[1].empty());  // nothing drawn there
  EXPECT_NEAR(cv::boundingRect((*outlines)[2]).x, 200, 2);
  EXPECT_EQ(cv::boundingRect((*outlines)[3]).x, 10);
}

TEST(ReadDatasetOutlines, AFileThatIsNotAnImageIsAnErrorNamingIt) {
  testing::TempDir dir;
  const std::string bad = (dir.path() / "b.mask.0.png").string();
  std::ofstream(bad) << "not a png";
  DatasetImage image;
  image.objects = {{"mugs", cv::Rect2d(0, 0, 10, 10)}};
  image.outline_paths = {bad};
  Result<std::vector<std::vector<cv::Point>>> outlines = ReadDatasetOutlines(image);
  ASSERT_FALSE(outlines.ok());
  EXPECT_NE(outlines.status().message().find(bad), std::string::npos);
}

}  // namespace
}  // namespace msrf
