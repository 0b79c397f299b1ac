// Boundary maps on drawn scenes: where a boundary is, its orientation, one pixel wide.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <numeric>

#include "msrf/boundaries/boundaries.h"
#include "msrf/boundaries/forest.h"
#include "msrf/core/parallel.h"

namespace msrf {
namespace {

// A step from dark to bright across the line through `centre` with normal angle `normal`
// (radians), anti-aliased by supersampling, on a BGR image.
cv::Mat StepEdge(cv::Size size, cv::Point2d centre, double normal, int dark = 60,
                 int bright = 190) {
  cv::Mat image(size, CV_8UC3);
  const double c = std::cos(normal), s = std::sin(normal);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      int inside = 0;
      for (int sy = 0; sy < 4; ++sy) {
        for (int sx = 0; sx < 4; ++sx) {
          const double px = x + (sx + 0.5) / 4 - 0.5 - centre.x;
          const double py = y + (sy + 0.5) / 4 - 0.5 - centre.y;
          inside += px * c + py * s > 0 ? 1 : 0;
        }
      }
      const auto v = static_cast<uint8_t>(dark + (bright - dark) * inside / 16);
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v, v);
    }
  }
  return image;
}

// The distance of p from the line through `centre` with normal angle `normal`.
double DistanceToLine(cv::Point2d p, cv::Point2d centre, double normal) {
  return std::abs((p.x - centre.x) * std::cos(normal) + (p.y - centre.y) * std::sin(normal));
}

// The difference of two orientations in [0, pi), folded to [0, pi/2].
double OrientationDifference(double a, double b) {
  double d = std::fmod(std::abs(a - b), CV_PI);
  return std::min(d, CV_PI - d);
}

struct StepFindings {
  int strong = 0;     // pixels above half the maximum
  int near_line = 0;  // of those, within 2.5 pixels of the step
  double max_angle_error = 0.0;
};

// Where the thinned map is strong, away from the image border.
StepFindings FindStep(const BoundaryMap& map, cv::Point2d centre, double normal) {
  double max_value = 0.0;
  cv::minMaxLoc(map.strength, nullptr, &max_value);
  StepFindings f;
  for (int y = 20; y < map.strength.rows - 20; ++y) {
    for (int x = 20; x < map.strength.cols - 20; ++x) {
      if (map.strength.at<float>(y, x) < 0.5 * max_value) continue;
      ++f.strong;
      if (DistanceToLine({static_cast<double>(x), static_cast<double>(y)}, centre, normal) <= 2.5) {
        ++f.near_line;
        f.max_angle_error = std::max(
            f.max_angle_error, OrientationDifference(map.orientation.at<float>(y, x), normal));
      }
    }
  }
  return f;
}

class StepEdges : public testing::TestWithParam<BoundaryMethod> {};

TEST_P(StepEdges, AreFoundOnTheStepWithTheirOrientation) {
  BoundaryOptions options;
  options.method = GetParam();
  for (double degrees : {0.0, 30.0, 90.0, 135.0}) {
    SCOPED_TRACE(degrees);
    const double normal = degrees * CV_PI / 180.0;
    const cv::Point2d centre(60.3, 50.6);
    Result<BoundaryMap> map = DetectBoundaries(StepEdge({120, 100}, centre, normal), options);
    ASSERT_TRUE(map.ok()) << map.status().message();
    const StepFindings f = FindStep(*map, centre, normal);
    // The step crosses the inner 80 x 60 window along at least 60 pixels; one pixel wide.
    EXPECT_GE(f.near_line, 55);
    EXPECT_GE(f.near_line, f.strong * 4 / 5) << "strong pixels away from the step";
    // The forest's orientation comes from the curvature of its smoothed map, coarser than a
    // gradient's.
    EXPECT_LT(f.max_angle_error, 15.0 * CV_PI / 180.0);
  }
}

INSTANTIATE_TEST_SUITE_P(Methods, StepEdges,
                         testing::Values(BoundaryMethod::kForest, BoundaryMethod::kGradient),
                         [](const auto& param_info) {
                           return std::string(BoundaryMethodName(param_info.param));
                         });

TEST(ForestBoundaries, FindBothSidesOfAThickLineAndAThinLine) {
  // A dark bar 24 pixels wide has two boundaries, one on each side, and none in its middle
  // (farther from both than half a label patch); a line 2 pixels wide is found where it is
  // (the forest may mark its two sides, 2 pixels apart).
  cv::Mat image(100, 140, CV_8UC3, cv::Scalar(200, 200, 200));
  cv::rectangle(image, cv::Rect(18, 0, 24, 100), cv::Scalar(40, 40, 40), cv::FILLED);
  cv::rectangle(image, cv::Rect(100, 0, 2, 100), cv::Scalar(40, 40, 40), cv::FILLED);
  Result<BoundaryMap> map = DetectBoundaries(image);
  ASSERT_TRUE(map.ok()) << map.status().message();
  // Column profile of the thinned map, summed over the middle rows.
  std::vector<double> column(static_cast<size_t>(image.cols), 0.0);
  for (int y = 20; y < 80; ++y) {
    for (int x = 0; x < image.cols; ++x)
      column[static_cast<size_t>(x)] += map->strength.at<float>(y, x);
  }
  auto peak_near = [&](double x0) {
    double best = 0.0;
    for (int x = static_cast<int>(x0) - 2; x <= static_cast<int>(x0) + 2; ++x) {
      best = std::max(best, column[static_cast<size_t>(x)]);
    }
    return best;
  };
  const double left = peak_near(17.5), right = peak_near(41.5), thin = peak_near(100.5);
  const double middle_of_bar = column[30], flat = column[70];
  EXPECT_GT(left, 6.0);  // 60 rows: a tenth of the votes on every row at the least
  EXPECT_GT(right, 6.0);
  EXPECT_GT(thin, 0.4 * std::min(left, right));
  EXPECT_LT(middle_of_bar, 0.2 * std::min(left, right));
  EXPECT_LT(flat, 0.1 * thin);
}

TEST(ForestBoundaries, FindTheBoundaryBetweenTwoTexturesOfOneBrightness) {
  // Left: vertical stripes; right: a checkerboard, both of 2-pixel cells averaging mid-grey.
  // The boundary at x = 80 is the strongest column of the map; inside either texture there
  // is next to nothing.
  cv::Mat image(120, 160, CV_8UC3);
  for (int y = 0; y < image.rows; ++y) {
    for (int x = 0; x < image.cols; ++x) {
      const bool dark = x < 80 ? (x / 2) % 2 == 0 : ((x / 2) + (y / 2)) % 2 == 0;
      const uint8_t v = dark ? 90 : 160;
      image.at<cv::Vec3b>(y, x) = cv::Vec3b(v, v, v);
    }
  }
  Result<BoundaryMap> raw = [&] {
    BoundaryOptions options;
    options.thin = false;
    return DetectBoundaries(image, options);
  }();
  ASSERT_TRUE(raw.ok()) << raw.status().message();
  std::vector<double> column(static_cast<size_t>(image.cols), 0.0);
  for (int y = 20; y < 100; ++y) {
    for (int x = 0; x < image.cols; ++x)
      column[static_cast<size_t>(x)] += raw->strength.at<float>(y, x);
  }
  const auto strongest =
      static_cast<int>(std::max_element(column.begin() + 20, column.end() - 20) - column.begin());
  EXPECT_NEAR(strongest, 79.5, 4.0);
  const double inside = std::accumulate(column.begin() + 30, column.begin() + 60, 0.0) +
                        std::accumulate(column.begin() + 100, column.begin() + 130, 0.0);
  EXPECT_LT(inside / 60.0, 0.2 * column[static_cast<size_t>(strongest)]);
}

TEST(ForestBoundaries, AreTheSameForOneAndTwoThreads) {
  const cv::Mat image = StepEdge({90, 70}, {40.2, 33.7}, 0.7);
  Result<BoundaryMap> two = DetectBoundaries(image);
  Result<BoundaryMap> one = [&] {
    const ThreadLimit limit(1);
    return DetectBoundaries(image);
  }();
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(cv::norm(one->strength, two->strength, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(one->orientation, two->orientation, cv::NORM_INF), 0.0);
}

TEST(ForestBoundaries, AtOneScaleOrSeveralFindTheSameStep) {
  const double normal = 0.4;
  const cv::Point2d centre(70.4, 55.2);
  const cv::Mat image = StepEdge({140, 110}, centre, normal);
  BoundaryOptions one;
  one.forest_scales = {1.0};
  BoundaryOptions several;
  several.forest_scales = {0.5, 1.0, 2.0};
  Result<BoundaryMap> a = DetectBoundaries(image, one);
  Result<BoundaryMap> b = DetectBoundaries(image, several);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(cv::norm(a->strength, b->strength, cv::NORM_INF), 0.0) << "the scales were not run";
  for (const BoundaryMap* map : {&*a, &*b}) {
    const StepFindings f = FindStep(*map, centre, normal);
    EXPECT_GE(f.near_line, 60);
    EXPECT_GE(f.near_line, f.strong * 4 / 5) << "strong pixels away from the step";
    EXPECT_LT(f.max_angle_error, 15.0 * CV_PI / 180.0);
  }
  // A photo smaller than a patch at half its size still gets a map of its own size.
  Result<BoundaryMap> tiny = DetectBoundaries(StepEdge({9, 7}, {4.5, 3.5}, 0.0), several);
  ASSERT_TRUE(tiny.ok()) << tiny.status().message();
  EXPECT_EQ(tiny->strength.size(), cv::Size(9, 7));
}

TEST(SuppressNonMaxima, LeavesOnePixelAcrossAWideRidge) {
  // A ridge five pixels wide along y = 20 (normal pi/2), peaked at its centre.
  cv::Mat strength = cv::Mat::zeros(40, 40, CV_32F);
  for (int y = 18; y <= 22; ++y) strength.row(y).setTo(1.0 - 0.2 * std::abs(y - 20));
  const cv::Mat orientation(strength.size(), CV_32F, cv::Scalar(CV_PI / 2));
  const cv::Mat thin = SuppressNonMaxima(strength, orientation);
  for (int x = 0; x < 40; ++x) {
    EXPECT_FLOAT_EQ(thin.at<float>(20, x), 1.0F);
    EXPECT_EQ(cv::countNonZero(thin.col(x)), 1);
  }
}

TEST(RidgeOrientation, PointsAcrossTheRidge) {
  cv::Mat strength = cv::Mat::zeros(60, 60, CV_32F);
  cv::line(strength, {5, 55}, {55, 5}, cv::Scalar(1.0), 2);  // along 45 degrees up-right
  const cv::Mat orientation = RidgeOrientation(strength);
  // Across a line from (5, 55) to (55, 5), in image coordinates: normal (1, 1) / sqrt 2.
  EXPECT_LT(OrientationDifference(orientation.at<float>(30, 30), CV_PI / 4), 0.1);
}

TEST(DetectBoundaries, RefusesWhatIsNotAnImage) {
  EXPECT_EQ(DetectBoundaries(cv::Mat()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DetectBoundaries(cv::Mat(10, 10, CV_32F)).status().code(),
            StatusCode::kInvalidArgument);
  BoundaryOptions bad;
  bad.gradient_sigma = 0.0;
  Result<BoundaryMap> r = DetectBoundaries(cv::Mat(10, 10, CV_8U, cv::Scalar(0)), bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("boundaries.gradient_sigma"), std::string::npos);
  for (const std::vector<double>& scales :
       {std::vector<double>{}, std::vector<double>{1.0, 0.1}, std::vector<double>{1, 1, 1, 1, 1},
        std::vector<double>{std::nan("")}}) {
    BoundaryOptions bad_scales;
    bad_scales.forest_scales = scales;
    Result<BoundaryMap> s = DetectBoundaries(cv::Mat(10, 10, CV_8U, cv::Scalar(0)), bad_scales);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("boundaries.forest_scales"), std::string::npos)
        << s.status().message();
  }
}

TEST(ParseBoundaryMethod, ReadsWhatBoundaryMethodNamePrints) {
  for (BoundaryMethod m : {BoundaryMethod::kForest, BoundaryMethod::kGradient}) {
    Result<BoundaryMethod> parsed = ParseBoundaryMethod(BoundaryMethodName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_FALSE(ParseBoundaryMethod("sobel").ok());
}

}  // namespace
}  // namespace msrf
