#include "msrf/verify/surround.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

std::vector<cv::Point2d> Square(double x0, double y0, double side) {
  return {{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}};
}

TEST(Surround, IsNearZeroForAnOutlineOnCleanGround) {
  const std::vector<cv::Point2d> outline = Square(100, 100, 60);
  const OrientedContours contours = testing::ContoursOf({outline}, cv::Size(300, 300));
  EXPECT_LT(Surround(outline, 4.0, 20.0, contours), 0.01);
}

TEST(Surround, CountsAContourInTheBandOutside) {
  const std::vector<cv::Point2d> outline = Square(100, 100, 60);
  const OrientedContours ringed =
      testing::ContoursOf({outline, Square(90, 90, 80)}, cv::Size(300, 300));
  const double surround = Surround(outline, 4.0, 20.0, ringed);
  // The ring and its neighbours, 3 pixels of a band 16 wide.
  EXPECT_GT(surround, 0.1);
  EXPECT_LT(surround, 0.3);
  // A ring beyond the band does not count.
  const OrientedContours far =
      testing::ContoursOf({outline, Square(60, 60, 140)}, cv::Size(300, 300));
  EXPECT_LT(Surround(outline, 4.0, 20.0, far), 0.01);
}

TEST(Surround, IsZeroForADegenerateOutline) {
  const OrientedContours contours = testing::ContoursOf({Square(100, 100, 60)}, cv::Size(300, 300));
  EXPECT_EQ(Surround({{100, 100}, {160, 100}}, 4.0, 20.0, contours), 0.0);
}

}  // namespace
}  // namespace msrf
