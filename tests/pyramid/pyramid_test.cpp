#include "msrf/pyramid/pyramid.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>

namespace msrf {
namespace {

TEST(PyramidOptions, ValidateNamesTheBadField) {
  PyramidOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.scale_factor = 1.0;
  EXPECT_NE(o.Validate().message().find("pyramid.scale_factor"), std::string::npos);
  o = PyramidOptions();
  o.num_levels = 0;
  EXPECT_NE(o.Validate().message().find("pyramid.num_levels"), std::string::npos);
  o = PyramidOptions();
  o.min_size = 2;
  EXPECT_NE(o.Validate().message().find("pyramid.min_size"), std::string::npos);
  o = PyramidOptions();
  o.sigma = -1;
  EXPECT_NE(o.Validate().message().find("pyramid.sigma"), std::string::npos);
}

TEST(PyramidScales, FollowTheScaleFactorUntilTheMinimumSize) {
  PyramidOptions o;
  o.scale_factor = 2.0;
  o.num_levels = 10;
  o.min_size = 40;
  const std::vector<double> s = PyramidScales(cv::Size(640, 320), o);
  // 320 -> 160 -> 80 -> 40 -> (20 < 40 stops)
  ASSERT_EQ(s.size(), 4U);
  for (size_t l = 0; l < s.size(); ++l) EXPECT_DOUBLE_EQ(s[l], std::pow(0.5, l));
  o.num_levels = 2;
  EXPECT_EQ(PyramidScales(cv::Size(640, 320), o).size(), 2U);
}

TEST(BuildImageLevel, HasTheScaledSizeAndKeepsBrightness) {
  cv::Mat image(300, 400, CV_8UC3, cv::Scalar(100, 100, 100));
  PyramidOptions o;
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 2, 0.5, o);
  EXPECT_EQ(level.image.size(), cv::Size(200, 150));
  EXPECT_EQ(level.image.type(), CV_8UC1);
  EXPECT_EQ(level.base_size, cv::Size(400, 300));
  EXPECT_NEAR(cv::mean(level.image)[0], 100.0, 0.5);
  const cv::Point2d p = ToLevel0(level, {10, 20});
  EXPECT_NEAR(p.x, 20.5, 1e-9);
  EXPECT_NEAR(p.y, 40.5, 1e-9);
}

TEST(BuildImageLevel, CarriesThinEdgesDownAtFullStrength) {
  cv::Mat image(200, 200, CV_8UC1, cv::Scalar(0));
  cv::Mat strength = cv::Mat::zeros(200, 200, CV_32F);
  cv::line(strength, {20, 50}, {180, 50}, cv::Scalar(0.8), 1);
  const ImageLevel level = BuildImageLevel(image, strength, 2, 0.5, PyramidOptions());
  ASSERT_EQ(level.edge_strength.size(), cv::Size(100, 100));
  double max_value = 0;
  cv::minMaxLoc(level.edge_strength.row(25), nullptr, &max_value);
  EXPECT_FLOAT_EQ(max_value, 0.8F);  // averaging would have halved it
}

}  // namespace
}  // namespace msrf
