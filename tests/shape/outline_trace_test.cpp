#include "msrf/shape/outline_trace.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "msrf/shape/shape_model.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// A binary disc (0/255) of radius `r` about (cx, cy): the pixels whose centres (at integer
// coordinates) lie inside the circle.
cv::Mat Disc(double cx, double cy, double r) {
  cv::Mat mask = cv::Mat::zeros(160, 160, CV_8U);
  for (int y = 0; y < mask.rows; ++y) {
    for (int x = 0; x < mask.cols; ++x) {
      if (std::hypot(x - cx, y - cy) < r) mask.at<uint8_t>(y, x) = 255;
    }
  }
  return mask;
}

struct RadiusErrors {
  double mean = 0.0;
  double rms = 0.0;
  double worst = 0.0;
};

// Of (distance from the centre - r) over the outline's points.
RadiusErrors RadiusError(const std::vector<cv::Point2d>& outline, cv::Point2d c, double r) {
  RadiusErrors e;
  for (const cv::Point2d& p : outline) {
    const double d = cv::norm(p - c) - r;
    e.mean += d;
    e.rms += d * d;
    e.worst = std::max(e.worst, std::abs(d));
  }
  e.mean /= static_cast<double>(outline.size());
  e.rms = std::sqrt(e.rms / static_cast<double>(outline.size()));
  return e;
}

TEST(TraceIsoContours, KeepsTheInsideOnTheRightAndHolesApart) {
  cv::Mat field = cv::Mat::zeros(20, 20, CV_32F);
  field(cv::Rect(4, 4, 10, 10)).setTo(1.0F);
  field(cv::Rect(8, 8, 2, 2)).setTo(0.0F);  // a hole
  const auto contours = TraceIsoContours(field, 0.5F);
  ASSERT_EQ(contours.size(), 2U);
  int clockwise = 0;
  for (const auto& c : contours) {
    double a = 0.0;
    for (size_t i = 0; i < c.size(); ++i) {
      const cv::Point2d& u = c[i];
      const cv::Point2d& v = c[(i + 1) % c.size()];
      a += u.x * v.y - v.x * u.y;
    }
    clockwise += a > 0;  // y down: positive area is clockwise on screen
  }
  EXPECT_EQ(clockwise, 1);
}

TEST(TraceIsoContours, PlacesCrossingsByLinearInterpolation) {
  cv::Mat field = cv::Mat::zeros(5, 6, CV_32F);
  field.colRange(2, 4).setTo(1.0F);
  field.col(4).setTo(0.25F);  // the right edge lies a third of the way from 4 towards 3
  field.row(0).setTo(0.0F);
  field.row(4).setTo(0.0F);
  const auto contours = TraceIsoContours(field, 0.5F);
  ASSERT_EQ(contours.size(), 1U);
  double right = 0.0;
  for (const cv::Point2d& p : contours[0]) right = std::max(right, p.x);
  EXPECT_NEAR(right, 3.0 + 0.5 / 0.75, 1e-9);
}

// A binary disc says where its edge lies only to within the pixels' staircase (up to half
// a pixel where a row or column of pixels runs along the circle); on average the outline
// finds the radius to within a tenth of a pixel (the blur shrinks a disc of radius r by
// about sigma^2 / 2r, 0.04 pixels at r = 12.5).
TEST(TraceMaskOutline, FindsADiscsRadiusWithinATenthOfAPixel) {
  for (const double r : {12.5, 30.0, 55.25}) {
    const cv::Point2d c(80.3, 79.6);
    for (const bool jpeg : {false, true}) {
      const cv::Mat mask = jpeg ? testing::JpegRoundTrip(Disc(c.x, c.y, r), 50) : Disc(c.x, c.y, r);
      const auto outline = TraceMaskOutline(mask, 1.0);
      ASSERT_TRUE(outline.ok()) << outline.status().ToString();
      const RadiusErrors e = RadiusError(*outline, c, r);
      EXPECT_LT(std::abs(e.mean), r < 20 ? 0.15 : 0.1) << "r " << r << (jpeg ? ", JPEG" : "");
      EXPECT_LT(e.rms, 0.2) << "r " << r << (jpeg ? ", JPEG" : "");
      EXPECT_LT(e.worst, 0.5) << "r " << r << (jpeg ? ", JPEG" : "");
    }
  }
}

// Unsmoothed, the staircase turns a model contour at 2.5 pixel steps by up to 17 degrees
// either side of the circle's 2.8.
TEST(ShapeModelFromMask, TurnsAJpegDiscsContourSteadilyWithoutAStaircase) {
  const cv::Point2d c(80.3, 79.6);
  const auto m = ShapeModelFromMask(testing::JpegRoundTrip(Disc(c.x, c.y, 50.0), 50));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const auto& p = m->points;
  const size_t n = p.size();
  double worst = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d a = p[(i + 1) % n] - p[i];
    const cv::Point2d b = p[(i + 2) % n] - p[(i + 1) % n];
    const double turn = std::atan2(a.x * b.y - a.y * b.x, a.dot(b));
    worst = std::max(worst, std::abs(turn - 2 * CV_PI / static_cast<double>(n)));
  }
  EXPECT_LT(worst * 180 / CV_PI, 5.0);
  EXPECT_LT(RadiusError(p, c, 50.0).rms, 0.15);
}

TEST(TraceMaskOutline, IgnoresHolesAndTakesTheOuterOutline) {
  cv::Mat mask = Disc(80, 80, 50);
  cv::circle(mask, {80, 80}, 20, cv::Scalar(0), cv::FILLED);
  const auto outline = TraceMaskOutline(mask, 1.0);
  ASSERT_TRUE(outline.ok());
  EXPECT_LT(RadiusError(*outline, {80, 80}, 50).worst, 0.5);
}

TEST(TraceMaskOutline, DropsSpecksAndRefusesTwoShapes) {
  cv::Mat mask = Disc(60, 80, 40);
  cv::circle(mask, {140, 20}, 3, cv::Scalar(255), cv::FILLED);  // 0.6% of the disc: a speck
  const auto outline = TraceMaskOutline(mask, 1.0);
  ASSERT_TRUE(outline.ok()) << outline.status().ToString();
  EXPECT_LT(RadiusError(*outline, {60, 80}, 40).worst, 0.5);

  cv::circle(mask, {135, 125}, 15, cv::Scalar(255), cv::FILLED);  // 14%: a second shape
  const auto two = TraceMaskOutline(mask, 1.0);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("the mask holds 2 separate shapes"), std::string::npos)
      << two.status().message();
}

// A line one pixel wide, which the blur alone would dim below one half and cut into pieces,
// stays attached to the shape and in its outline.
TEST(TraceMaskOutline, KeepsPartsOnePixelWideInTheShape) {
  cv::Mat mask = Disc(60, 80, 30);
  cv::line(mask, {85, 80}, {150, 20}, cv::Scalar(255), 1);
  cv::line(mask, {60, 105}, {60, 150}, cv::Scalar(255), 1);
  const auto outline = TraceMaskOutline(mask, 1.0);
  ASSERT_TRUE(outline.ok()) << outline.status().ToString();
  double right = 0.0, top = 1e9, bottom = 0.0;
  for (const cv::Point2d& p : *outline) {
    right = std::max(right, p.x);
    top = std::min(top, p.y);
    bottom = std::max(bottom, p.y);
  }
  EXPECT_NEAR(right, 150, 1.0);
  EXPECT_NEAR(top, 20, 1.0);
  EXPECT_NEAR(bottom, 150, 1.0);
}

TEST(TraceMaskOutline, ReadsZeroOneMasksAndClosesShapesCutByTheFrame) {
  cv::Mat mask = cv::Mat::zeros(60, 60, CV_8U);
  mask(cv::Rect(0, 10, 30, 40)).setTo(1);  // 0/1, touching the left side
  const auto outline = TraceMaskOutline(mask, 1.0);
  ASSERT_TRUE(outline.ok()) << outline.status().ToString();
  int on_left = 0;
  for (const cv::Point2d& p : *outline) {
    if (p.x < 5 && p.y > 20 && p.y < 40) {
      EXPECT_NEAR(p.x, -0.5, 0.05);
      ++on_left;
    }
  }
  EXPECT_GT(on_left, 40);
}

TEST(TraceMaskOutline, RefusesEmptyAndAllBlackMasks) {
  EXPECT_FALSE(TraceMaskOutline(cv::Mat(), 1.0).ok());
  const auto black = TraceMaskOutline(cv::Mat::zeros(30, 30, CV_8U), 1.0);
  ASSERT_FALSE(black.ok());
  EXPECT_NE(black.status().message().find("all black"), std::string::npos);
  cv::Mat tiny = cv::Mat::zeros(30, 30, CV_8U);
  tiny.at<uint8_t>(10, 10) = 255;
  EXPECT_FALSE(TraceMaskOutline(tiny, 1.0).ok());
}

}  // namespace
}  // namespace msrf
