// The sweep-line self-intersection check agrees with the all-pairs check it replaced.
#include "msrf/shape/polygon_check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "msrf/shape/shape_model.h"

namespace msrf {
namespace {

// The all-pairs check, as ValidateClosedPolygon did it before.
bool BruteForceTouches(const std::vector<cv::Point2d>& p) {
  const size_t n = p.size();
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      if (j == i + 1 || (i == 0 && j == n - 1)) continue;
      if (SegmentsTouch(p[i], p[(i + 1) % n], p[j], p[(j + 1) % n])) return true;
    }
  }
  return false;
}

// n points, consecutive ones distinct (the closing pair too), from `coordinate`.
template <typename Draw>
std::vector<cv::Point2d> RandomPolygon(std::mt19937& rng, size_t n, Draw coordinate) {
  std::vector<cv::Point2d> p;
  while (p.size() < n) {
    const cv::Point2d q(coordinate(rng), coordinate(rng));
    if (!p.empty() && q == p.back()) continue;
    if (p.size() + 1 == n && q == p.front()) continue;
    p.push_back(q);
  }
  return p;
}

void ExpectAgreement(const std::vector<cv::Point2d>& p) {
  const auto hit = FindTouchingEdges(p);
  ASSERT_EQ(hit.has_value(), BruteForceTouches(p)) << ::testing::PrintToString(p);
  if (hit) {
    const size_t n = p.size();
    EXPECT_TRUE(SegmentsTouch(p[hit->first], p[(hit->first + 1) % n], p[hit->second],
                              p[(hit->second + 1) % n]));
  }
}

TEST(FindTouchingEdges, AgreesWithAllPairsOnRandomPolygons) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> real(-100, 100);
  for (int trial = 0; trial < 3000; ++trial) {
    ExpectAgreement(RandomPolygon(rng, 4 + rng() % 12, real));
  }
}

// Small integer grids make collinear, vertical, touching and overlapping edges common.
TEST(FindTouchingEdges, AgreesWithAllPairsOnDegenerateGridPolygons) {
  std::mt19937 rng(5);
  for (int span : {2, 3, 5}) {
    std::uniform_int_distribution<int> grid(0, span);
    auto coordinate = [&grid](std::mt19937& r) { return static_cast<double>(grid(r)); };
    for (int trial = 0; trial < 4000; ++trial) {
      ExpectAgreement(RandomPolygon(rng, 4 + rng() % 8, coordinate));
    }
  }
}

// Simple polygons (star-shaped, so never crossing) with one vertex then moved: crossings
// are rare and local, the hard case for a sweep.
TEST(FindTouchingEdges, AgreesWithAllPairsOnNearlySimplePolygons) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    const size_t n = 5 + rng() % 40;
    std::vector<cv::Point2d> p;
    for (size_t i = 0; i < n; ++i) {
      const double a = 2 * M_PI * (i + 0.8 * unit(rng)) / n, r = 20 + 80 * unit(rng);
      p.emplace_back(std::round(r * std::cos(a)), std::round(r * std::sin(a)));
    }
    if (trial % 2)
      p[rng() % n] = {std::round(200 * unit(rng) - 100), std::round(200 * unit(rng) - 100)};
    bool distinct = true;
    for (size_t i = 0; i < n; ++i) distinct = distinct && p[i] != p[(i + 1) % n];
    if (distinct) ExpectAgreement(p);
  }
}

TEST(ValidateClosedPolygon, ChecksTheLargestAllowedOutline) {
  // A star of kMaxPolygonPoints points: all pairs would be 5e9 segment tests.
  std::vector<cv::Point2d> star;
  for (size_t i = 0; i < kMaxPolygonPoints; ++i) {
    const double a = 2 * M_PI * static_cast<double>(i) / kMaxPolygonPoints;
    const double r = i % 2 ? 1000.0 : 900.0;
    star.emplace_back(r * std::cos(a), r * std::sin(a));
  }
  EXPECT_TRUE(ValidateClosedPolygon(star).ok());
  std::swap(star[10], star[50000]);  // two long edges now cross the star
  const Status crossed = ValidateClosedPolygon(star);
  EXPECT_NE(crossed.message().find("intersects itself"), std::string::npos) << crossed.message();
  star.emplace_back(0, 0);
  EXPECT_NE(ValidateClosedPolygon(star).message().find("above the limit of 100000"),
            std::string::npos);
}

}  // namespace
}  // namespace msrf
