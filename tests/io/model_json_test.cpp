// Model and polygon JSON: hostile numbers are errors, not exceptions; every model that is
// written reads back.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "msrf/io/json_read.h"
#include "msrf/io/model_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

std::string PolygonJson(const std::vector<cv::Point2d>& points) {
  JsonDocument doc;
  doc["polygon"] = JsonDocument::array();
  for (const cv::Point2d& p : points) doc["polygon"].push_back({p.x, p.y});
  return doc.dump();
}

std::vector<cv::Point2d> Circle(double radius, int n) {
  std::vector<cv::Point2d> points;
  for (int i = 0; i < n; ++i) {
    const double a = 2 * M_PI * i / n;
    points.emplace_back(radius * std::cos(a), radius * std::sin(a));
  }
  return points;
}

void ExpectModelRefused(const std::string& text, const std::string& words) {
  Result<ShapeModel> m = ShapeModelFromJson(text, "m.json");
  ASSERT_FALSE(m.ok()) << text.substr(0, 100);
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(m.status().message().rfind("m.json: ", 0), 0U) << m.status().message();
  EXPECT_NE(m.status().message().find(words), std::string::npos) << m.status().message();
}

TEST(ShapeModelFromJson, RefusesOverflowingNumbersWithoutThrowing) {
  ExpectModelRefused(R"({"polygon": [[0, 0], [1e999, 0], [0, 10]]})", "number out of range (byte");
  ExpectModelRefused(R"({"polygon": [[0, 0], [)" + std::string(400, '9') + R"(, 0], [0, 10]]})",
                     "number out of range");
}

TEST(ShapeModelFromJson, RefusesCoordinatesAndSizesOutsideTheSaneRange) {
  ExpectModelRefused(R"({"polygon": [[0, 0], [1e200, 0], [0, 1e200]]})", "outside [-1e6, 1e6]");
  ExpectModelRefused(R"({"polygon": [[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001]]})",
                     "smaller than 1 pixel");
  EXPECT_TRUE(ShapeModelFromJson(R"({"polygon": [[0, 0], [1e6, 0], [0, -1e6]]})", "m").ok());
}

TEST(ShapeModelFromJson, RefusesPolygonsAboveThePointCap) {
  ExpectModelRefused(PolygonJson(Circle(1000, static_cast<int>(kMaxPolygonPoints) + 1)),
                     "above the limit of 100000");
}

TEST(ShapeModelFromJson, ReadsHugeDrawnFlagsAsDrawnWithoutNarrowing) {
  Result<ShapeModel> m = ShapeModelFromPolygon(Circle(50, 16));
  ASSERT_TRUE(m.ok());
  JsonDocument doc = *ParseJson(ShapeModelToJson(*m), "m");
  doc["drawn"][0] = 18446744073709551615ULL;
  doc["drawn"][1] = 0;
  Result<ShapeModel> back = ShapeModelFromJson(doc.dump(), "m");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->drawn[0], 1);
  EXPECT_EQ(back->drawn[1], 0);
}

// A model written by ShapeModelToJson is read back by ShapeModelFromJson, whatever its scale:
// tiny models whose 0.001 rounding would merge points keep all their digits.
TEST(ShapeModelToJson, EveryAcceptedModelReadsBack) {
  std::mt19937 rng(3);
  for (double radius : {0.75, 1.0, 3.0, 50.0, 1e5, 9.9e5}) {
    for (int num_points : {32, 128, 4096}) {
      ShapeModelOptions options;
      options.num_points = num_points;
      std::vector<cv::Point2d> star;
      for (int i = 0; i < 40; ++i) {
        const double r = radius * (0.6 + 0.4 * std::uniform_real_distribution<>(0, 1)(rng));
        star.emplace_back(r * std::cos(2 * M_PI * i / 40), r * std::sin(2 * M_PI * i / 40));
      }
      Result<ShapeModel> m = ShapeModelFromPolygon(star, options);
      ASSERT_TRUE(m.ok()) << radius << " " << m.status().ToString();
      Result<ShapeModel> back = ShapeModelFromJson(ShapeModelToJson(*m), "m.json", options);
      ASSERT_TRUE(back.ok()) << radius << " " << num_points << " " << back.status().ToString();
      // The same contour, possibly starting one point on (rounding can move the top-most).
      const size_t n = m->points.size();
      ASSERT_EQ(back->points.size(), n);
      size_t shift = 0;
      for (size_t k = 0; k < n; ++k) {
        if (cv::norm(back->points[0] - m->points[k]) <
            cv::norm(back->points[0] - m->points[shift])) {
          shift = k;
        }
      }
      for (size_t i = 0; i < n; ++i) {
        ASSERT_LE(cv::norm(back->points[i] - m->points[(i + shift) % n]), 0.001)
            << radius << " " << num_points << " " << i;
      }
    }
  }
}

TEST(ShapeModelToJson, WritesOrdinaryModelsRoundedToAThousandth) {
  const ShapeModel vase = testing::BundledVase();
  const JsonDocument doc = *ParseJson(ShapeModelToJson(vase), "vase");
  for (const JsonDocument& p : doc["points"]) {
    for (double v : {p[0].get<double>(), p[1].get<double>()}) {
      EXPECT_EQ(v, std::round(v * 1000.0) / 1000.0);
    }
  }
}

TEST(LoadShapeModel, RefusesAFifoWithoutBlocking) {
  testing::TempDir dir;
  const std::string fifo = dir.Path("model.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<ShapeModel> m = LoadShapeModel(fifo);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), fifo + ": not a regular file (a FIFO)");
  const std::string image_fifo = dir.Path("model.png");
  ASSERT_EQ(::mkfifo(image_fifo.c_str(), 0600), 0);
  EXPECT_FALSE(LoadShapeModel(image_fifo).ok());
}

}  // namespace
}  // namespace msrf
