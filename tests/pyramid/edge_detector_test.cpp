#include "msrf/pyramid/edge_detector.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include "msrf/core/random.h"

#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

ImageLevel LevelOf(const cv::Mat& image) {
  ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  return level;
}

// Fraction of the edge pixels lying within `tol` of the outline, and of outline samples
// with an edge pixel within `tol`.
std::pair<double, double> Agreement(const cv::Mat& edges, const std::vector<cv::Point2d>& outline,
                                    double tol) {
  int on = 0, total = 0;
  for (int y = 0; y < edges.rows; ++y) {
    for (int x = 0; x < edges.cols; ++x) {
      if (!edges.at<uint8_t>(y, x)) continue;
      ++total;
      on += testing::DistanceToPolyline({double(x), double(y)}, outline, true) <= tol;
    }
  }
  cv::Mat dist;
  cv::distanceTransform(edges == 0, dist, cv::DIST_L2, 3);
  int covered = 0, samples = 0;
  for (size_t i = 0; i < outline.size(); ++i) {
    const cv::Point2d a = outline[i], b = outline[(i + 1) % outline.size()];
    for (double t = 0; t < 1; t += 0.02, ++samples) {
      const cv::Point2d p = a + (b - a) * t;
      covered += dist.at<float>(cvRound(p.y), cvRound(p.x)) <= tol;
    }
  }
  return {total ? double(on) / total : 0.0, double(covered) / samples};
}

class EdgeDetectorOnSilhouette : public ::testing::TestWithParam<EdgeMethod> {};

TEST_P(EdgeDetectorOnSilhouette, FindsTheBoundaryAndNothingElse) {
  const auto outline = RegularPolygon({160, 120}, 80, 5, 0.3);
  const cv::Mat image = testing::DrawFilledShape({320, 240}, outline);
  EdgeOptions options = testing::CannyEdgeOptions();
  options.method = GetParam();
  auto detector = EdgeDetector::Create(options);
  ASSERT_TRUE(detector.ok());
  auto edges = (*detector)->Detect(LevelOf(image));
  ASSERT_TRUE(edges.ok()) << edges.status().ToString();
  ASSERT_EQ(edges->type(), CV_8UC1);
  const auto [precision, recall] = Agreement(*edges, outline, 2.0);
  EXPECT_GT(precision, 0.97);
  EXPECT_GT(recall, 0.95);
}

INSTANTIATE_TEST_SUITE_P(Detectors, EdgeDetectorOnSilhouette,
                         ::testing::Values(EdgeMethod::kCanny, EdgeMethod::kEdgeDrawing));

TEST(SuppliedEdgeDetector, KeepsWeakPixelsOnlyWhenConnectedToStrongOnes) {
  cv::Mat image = cv::Mat::zeros(100, 100, CV_8U);
  cv::Mat strength = cv::Mat::zeros(100, 100, CV_32F);
  cv::line(strength, {10, 20}, {50, 20}, cv::Scalar(0.5), 1);  // strong
  cv::line(strength, {51, 20}, {90, 20}, cv::Scalar(0.1), 1);  // weak, attached
  cv::line(strength, {10, 70}, {90, 70}, cv::Scalar(0.1), 1);  // weak, alone
  ImageLevel level = LevelOf(image);
  level.edge_strength = strength;
  EdgeOptions options = testing::CannyEdgeOptions();
  options.method = EdgeMethod::kSupplied;
  auto detector = EdgeDetector::Create(options);
  ASSERT_TRUE(detector.ok());
  auto edges = (*detector)->Detect(level);
  ASSERT_TRUE(edges.ok());
  EXPECT_EQ(cv::countNonZero(edges->row(20)), 81);
  EXPECT_EQ(cv::countNonZero(edges->row(70)), 0);
}

TEST(SuppliedEdgeDetector, ThinsThickEdgesToOnePixel) {
  cv::Mat strength = cv::Mat::zeros(60, 100, CV_32F);
  cv::line(strength, {10, 30}, {90, 30}, cv::Scalar(0.9), 5);
  ImageLevel level = LevelOf(cv::Mat::zeros(60, 100, CV_8U));
  level.edge_strength = strength;
  EdgeOptions options = testing::CannyEdgeOptions();
  options.method = EdgeMethod::kSupplied;
  auto edges = (*EdgeDetector::Create(options))->Detect(level);
  ASSERT_TRUE(edges.ok());
  for (int x = 20; x < 80; ++x) EXPECT_EQ(cv::countNonZero(edges->col(x)), 1) << "column " << x;
}

TEST(ThinEdges, MatchesOpenCVsZhangSuen) {
  Rng rng(21);
  for (int trial = 0; trial < 10; ++trial) {
    cv::Mat m = cv::Mat::zeros(120, 160, CV_8U);
    for (int k = 0; k < 12; ++k) {
      // Away from the border, which OpenCV's implementation never thins.
      const cv::Point a(rng.UniformInt(10, 149), rng.UniformInt(10, 109));
      const cv::Point b(rng.UniformInt(10, 149), rng.UniformInt(10, 109));
      cv::line(m, a, b, cv::Scalar(255), rng.UniformInt(1, 6));
    }
    cv::circle(m, {80, 60}, rng.UniformInt(5, 40), cv::Scalar(255), rng.UniformInt(1, 5));
    cv::Mat expected;
    cv::ximgproc::thinning(m, expected, cv::ximgproc::THINNING_ZHANGSUEN);
    const cv::Mat thin = ThinEdges(m);
    EXPECT_EQ(cv::countNonZero(thin != expected), 0) << "trial " << trial;
  }
}

TEST(SuppliedEdgeDetector, RefusesALevelWithoutStrength) {
  EdgeOptions options = testing::CannyEdgeOptions();
  options.method = EdgeMethod::kSupplied;
  auto edges = (*EdgeDetector::Create(options))->Detect(LevelOf(cv::Mat::zeros(10, 10, CV_8U)));
  ASSERT_FALSE(edges.ok());
  EXPECT_EQ(edges.status().code(), StatusCode::kFailedPrecondition);
}

TEST(EdgeOptions, ValidateNamesTheBadField) {
  EdgeOptions o = testing::CannyEdgeOptions();
  o.supplied_low = 0.5;
  o.supplied_high = 0.2;
  EXPECT_NE(o.Validate().message().find("edges.supplied_low"), std::string::npos);
  EXPECT_FALSE(EdgeDetector::Create(o).ok());
}

TEST(EdgeStrengthFromMap, ScalesEachDepthToTheUnitRange) {
  cv::Mat m8(2, 2, CV_8U, cv::Scalar(255));
  cv::Mat m16(2, 2, CV_16U, cv::Scalar(65535));
  cv::Mat mf(2, 2, CV_32F, cv::Scalar(3.0));
  for (const cv::Mat& m : {m8, m16, mf}) {
    auto s = EdgeStrengthFromMap(m);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->type(), CV_32FC1);
    EXPECT_FLOAT_EQ(s->at<float>(0, 0), 1.0F);
  }
  cv::Mat bad(2, 2, CV_32F, cv::Scalar(std::nan("")));
  EXPECT_FALSE(EdgeStrengthFromMap(bad).ok());
  EXPECT_FALSE(EdgeStrengthFromMap(cv::Mat()).ok());
}

TEST(ParseEdgeMethod, RoundTripsNames) {
  for (EdgeMethod m : {EdgeMethod::kCanny, EdgeMethod::kEdgeDrawing, EdgeMethod::kSupplied}) {
    auto parsed = ParseEdgeMethod(EdgeMethodName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_FALSE(ParseEdgeMethod("sobel").ok());
}

}  // namespace
}  // namespace msrf

namespace msrf {
namespace {

// The automatic threshold as first written: float gradients, cv::magnitude, cv::minMaxLoc.
double ReferenceHighThreshold(const cv::Mat& image, double non_edge_fraction) {
  cv::Mat dx, dy, fx, fy, mag;
  cv::Sobel(image, dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(image, dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  dx.convertTo(fx, CV_32F);
  dy.convertTo(fy, CV_32F);
  cv::magnitude(fx, fy, mag);
  double max_mag = 0.0;
  cv::minMaxLoc(mag, nullptr, &max_mag);
  if (max_mag <= 0.0) return 1.0;
  std::vector<int64_t> hist(2049, 0);
  const double to_bin = 2048 / max_mag;
  for (int y = 0; y < mag.rows; ++y) {
    for (int x = 0; x < mag.cols; ++x) ++hist[static_cast<size_t>(mag.at<float>(y, x) * to_bin)];
  }
  const auto target = static_cast<int64_t>(non_edge_fraction * mag.total());
  int64_t cumulative = 0;
  int bin = 0;
  for (; bin <= 2048; ++bin) {
    cumulative += hist[static_cast<size_t>(bin)];
    if (cumulative > target) break;
  }
  return std::max((bin + 1) / to_bin, 0.1 * max_mag);
}

TEST(CannyHighThreshold, EqualsTheFloatMagnitudeHistogramBitForBit) {
  std::vector<cv::Mat> images;
  for (uint64_t seed : {1, 2, 3}) {
    ClutterSceneOptions so;
    so.seed = seed;
    so.size = {317, 241};
    images.push_back(DrawClutterScene(so).image);
  }
  cv::Mat noise(200, 300, CV_8U);
  cv::RNG rng(5);
  rng.fill(noise, cv::RNG::UNIFORM, 0, 256);  // the largest gradients there are
  images.push_back(noise);
  cv::Mat extremes = cv::Mat::zeros(64, 64, CV_8U);
  extremes(cv::Rect(0, 0, 32, 64)).setTo(255);
  images.push_back(extremes);
  images.push_back(cv::Mat::zeros(30, 30, CV_8U));
  for (size_t i = 0; i < images.size(); ++i) {
    for (double fraction : {0.5, 0.8, 0.95}) {
      EdgeOptions o = testing::CannyEdgeOptions();
      o.canny_non_edge_fraction = fraction;
      EXPECT_EQ(CannyHighThreshold(images[i], o), ReferenceHighThreshold(images[i], fraction))
          << "image " << i << ", fraction " << fraction;
    }
  }
  EdgeOptions fixed = testing::CannyEdgeOptions();
  fixed.canny_high_threshold = 42.5;
  EXPECT_EQ(CannyHighThreshold(images[0], fixed), 42.5);
}

}  // namespace
}  // namespace msrf

namespace msrf {
namespace {

// Textbook Zhang-Suen, sweeping every pixel of every sub-iteration (outside is background).
cv::Mat DenseZhangSuen(const cv::Mat& binary) {
  cv::Mat img;
  cv::copyMakeBorder(binary != 0, img, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  img /= 255;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int sub = 0; sub < 2; ++sub) {
      cv::Mat marked = cv::Mat::zeros(img.size(), CV_8U);
      for (int y = 1; y < img.rows - 1; ++y) {
        for (int x = 1; x < img.cols - 1; ++x) {
          if (img.at<uint8_t>(y, x) == 0) continue;
          const int p[8] = {img.at<uint8_t>(y - 1, x), img.at<uint8_t>(y - 1, x + 1),
                            img.at<uint8_t>(y, x + 1), img.at<uint8_t>(y + 1, x + 1),
                            img.at<uint8_t>(y + 1, x), img.at<uint8_t>(y + 1, x - 1),
                            img.at<uint8_t>(y, x - 1), img.at<uint8_t>(y - 1, x - 1)};
          int b = 0, a = 0;
          for (int k = 0; k < 8; ++k) {
            b += p[k];
            a += p[k] == 0 && p[(k + 1) % 8] == 1;
          }
          const bool c = sub == 0 ? (p[0] * p[2] * p[4] == 0 && p[2] * p[4] * p[6] == 0)
                                  : (p[0] * p[2] * p[6] == 0 && p[0] * p[4] * p[6] == 0);
          if (b >= 2 && b <= 6 && a == 1 && c) marked.at<uint8_t>(y, x) = 1;
        }
      }
      if (cv::countNonZero(marked) > 0) changed = true;
      img.setTo(0, marked);
    }
  }
  return img(cv::Rect(1, 1, binary.cols, binary.rows)) * 255;
}

TEST(ThinEdges, EqualsDenseZhangSuenUpToTheBorder) {
  cv::RNG rng(3);
  for (int trial = 0; trial < 6; ++trial) {
    cv::Mat noise(90, 130, CV_8U), m;
    rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 1.0 + trial);
    cv::threshold(noise, m, 127, 255, cv::THRESH_BINARY);  // thick blobs touching the border
    EXPECT_EQ(cv::countNonZero(ThinEdges(m) != DenseZhangSuen(m)), 0) << "blobs " << trial;
    ClutterSceneOptions so;
    so.seed = static_cast<uint64_t>(trial + 1);
    cv::Mat canny;
    cv::Canny(DrawClutterScene(so).image, canny, 20, 60);
    cv::dilate(canny, m, cv::Mat(), {-1, -1}, trial % 3);  // 1 to 5 pixels wide
    EXPECT_EQ(cv::countNonZero(ThinEdges(m) != DenseZhangSuen(m)), 0) << "edges " << trial;
  }
}

}  // namespace
}  // namespace msrf

namespace msrf {
namespace {

TEST(HysteresisEdges, KeepsExactlyTheComponentsThatHoldASeed) {
  cv::RNG rng(9);
  for (int trial = 0; trial < 5; ++trial) {
    cv::Mat noise(80, 120, CV_8U), candidates, seeds;
    rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(noise, noise, cv::Size(0, 0), 1.5);
    cv::threshold(noise, candidates, 136 + trial, 255, cv::THRESH_BINARY);
    cv::threshold(noise, seeds, 158, 255, cv::THRESH_BINARY);  // rare: some components have none
    cv::Mat labels;
    const int n = cv::connectedComponents(candidates, labels, 8, CV_32S);
    std::vector<uint8_t> keep(static_cast<size_t>(n), 0);
    for (int y = 0; y < labels.rows; ++y) {
      for (int x = 0; x < labels.cols; ++x) {
        if (seeds.at<uint8_t>(y, x) != 0) keep[static_cast<size_t>(labels.at<int>(y, x))] = 1;
      }
    }
    cv::Mat expected = cv::Mat::zeros(candidates.size(), CV_8U);
    for (int y = 0; y < labels.rows; ++y) {
      for (int x = 0; x < labels.cols; ++x) {
        const int l = labels.at<int>(y, x);
        if (l > 0 && keep[static_cast<size_t>(l)]) expected.at<uint8_t>(y, x) = 255;
      }
    }
    const cv::Mat kept = HysteresisEdges(candidates, seeds);
    EXPECT_GT(cv::countNonZero(kept), 0);
    EXPECT_LT(cv::countNonZero(kept), cv::countNonZero(candidates));
    EXPECT_EQ(cv::countNonZero(kept != expected), 0) << "trial " << trial;
  }
}

}  // namespace
}  // namespace msrf
