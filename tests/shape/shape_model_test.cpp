#include "msrf/shape/shape_model.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "msrf/io/model_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// Largest distance from a model point to `truth`, and from a truth vertex to the model.
double Hausdorff(const ShapeModel& m, const std::vector<cv::Point2d>& truth) {
  double worst = 0.0;
  for (const cv::Point2d& p : m.points) {
    worst = std::max(worst, testing::DistanceToPolyline(p, truth, true));
  }
  for (const cv::Point2d& v : truth) {
    worst = std::max(worst, testing::DistanceToPolyline(v, m.points, true));
  }
  return worst;
}

TEST(ShapeModelFromPolygon, ResamplesOrientsAndStartsAtTheTop) {
  // Counter-clockwise on screen: the model reverses it.
  const std::vector<cv::Point2d> square = {{0, 0}, {0, 100}, {100, 100}, {100, 0}};
  auto m = ShapeModelFromPolygon(square);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->points.size(), 128U);
  EXPECT_NEAR(m->perimeter, 400.0, 1e-6);
  EXPECT_EQ(m->points[0], cv::Point2d(0, 0));
  EXPECT_GT(m->points[1].x, 0.0);  // clockwise on screen: along the top edge first
  EXPECT_NEAR(m->centroid.x, 50.0, 1e-6);
  EXPECT_NEAR(m->centroid.y, 50.0, 1e-6);
  for (size_t i = 0; i < m->points.size(); ++i) {
    EXPECT_NEAR(cv::norm(m->points[(i + 1) % 128] - m->points[i]), 400.0 / 128, 1e-6);
  }
  // The coarsest part level of a square has its four corners among its six vertices.
  ASSERT_EQ(m->parts.size(), 3U);
  EXPECT_EQ(m->parts[0].vertices, 6);
  for (int corner : {0, 32, 64, 96}) {
    const auto& c = m->parts[2].corners;
    EXPECT_NE(std::find(c.begin(), c.end(), corner), c.end()) << corner;
  }
}

TEST(ShapeModelFromPolygon, RefusesBadOutlines) {
  struct Case {
    std::vector<cv::Point2d> polygon;
    const char* words;
  };
  for (const Case& c : {Case{{{0, 0}, {10, 0}}, "needs at least 3"},
                        Case{{{0, 0}, {10, 0}, {20, 0}}, "encloses no area"},
                        Case{{{0, 0}, {10, 10}, {10, 0}, {0, 20}}, "intersects itself"},
                        Case{{{0, 0}, {10, 0}, {std::nan(""), 5}}, "non-finite"}}) {
    auto m = ShapeModelFromPolygon(c.polygon);
    ASSERT_FALSE(m.ok()) << c.words;
    EXPECT_NE(m.status().message().find(c.words), std::string::npos) << m.status().message();
  }
}

TEST(ShapeModelFromOutline, TracesADrawingOfDarkLines) {
  const auto truth = RegularPolygon({120, 110}, 80, 5, 0.3);
  cv::Mat drawing(240, 240, CV_8U, cv::Scalar(255));
  DrawPolyline(drawing, truth, true, 0, 2);
  auto m = ShapeModelFromOutline(drawing);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_LT(Hausdorff(*m, truth), 2.5);
  for (uint8_t d : m->drawn) EXPECT_EQ(d, 1);
}

TEST(ShapeModelFromOutline, BridgesSmallGapsAndRefusesOpenDrawings) {
  const auto truth = RegularPolygon({120, 120}, 80, 6);
  cv::Mat drawing(240, 240, CV_8U, cv::Scalar(255));
  DrawPolyline(drawing, truth, true, 0, 1);
  cv::Mat small_gap = drawing.clone();
  cv::circle(small_gap, truth[1] * 0.5 + truth[2] * 0.5, 1, cv::Scalar(255), cv::FILLED);
  EXPECT_TRUE(ShapeModelFromOutline(small_gap).ok());
  cv::Mat open = drawing.clone();
  cv::circle(open, truth[1] * 0.5 + truth[2] * 0.5, 12, cv::Scalar(255), cv::FILLED);
  auto m = ShapeModelFromOutline(open);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("open"), std::string::npos);
}

TEST(ShapeModelFromOutline, LetsTheFrameCloseADrawingItCutsOff) {
  // A U whose arms stop a few pixels above the bottom of the frame.
  cv::Mat drawing(200, 200, CV_8U, cv::Scalar(255));
  DrawPolyline(drawing, {{40, 192}, {40, 30}, {160, 30}, {160, 192}}, false, 0, 2);
  auto m = ShapeModelFromOutline(drawing);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  int not_drawn = 0;
  for (size_t i = 0; i < m->points.size(); ++i) {
    if (!m->drawn[i]) {
      ++not_drawn;
      EXPECT_GT(m->points[i].y, 185.0);  // only the closing stretch along the bottom
    }
  }
  EXPECT_GT(not_drawn, 5);
}

TEST(ShapeModelFromMask, TracesTheLargestRegion) {
  const auto truth = RegularPolygon({100, 100}, 60, 4, 0.5);
  cv::Mat mask = testing::DrawFilledShape({200, 200}, truth) > 100;
  cv::circle(mask, {15, 15}, 5, cv::Scalar(255), cv::FILLED);  // a speck
  auto m = ShapeModelFromMask(mask);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_LT(Hausdorff(*m, truth), 2.0);
  EXPECT_FALSE(ShapeModelFromMask(cv::Mat::zeros(50, 50, CV_8U)).ok());
}

TEST(ShapeModelJson, RoundTripsAModelExactly) {
  cv::Mat drawing(200, 200, CV_8U, cv::Scalar(255));
  DrawPolyline(drawing, {{40, 192}, {40, 30}, {160, 30}, {160, 192}}, false, 0, 2);
  auto m = ShapeModelFromOutline(drawing);
  ASSERT_TRUE(m.ok());
  m->name = "u";
  const std::string json = ShapeModelToJson(*m);
  auto back = ShapeModelFromJson(json, "u.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->name, "u");
  EXPECT_EQ(back->drawn, m->drawn);
  ASSERT_EQ(back->points.size(), m->points.size());
  for (size_t i = 0; i < m->points.size(); ++i)
    EXPECT_LT(cv::norm(back->points[i] - m->points[i]), 1e-3);
  EXPECT_EQ(ShapeModelToJson(*back), json);
}

TEST(ShapeModelJson, ErrorsNameTheFileAndTheProblem) {
  struct Case {
    const char* text;
    const char* words;
  };
  for (const Case& c :
       {Case{"{\"polygon\": [[0, 0], [1, 0]", "m.json: not valid JSON"},
        Case{"{\"name\": \"x\"}", "no \"polygon\""},
        Case{"{\"polygon\": [[0, 0], [1]]}", "polygon[1] must be [x, y]"},
        Case{"{\"polygon\": [[0, 0], [9, 0]]}", "at least 3"},
        Case{"{\"polygon\": [[0,0],[10,10],[10,0],[0,20]]}", "intersects itself"}}) {
    auto m = ShapeModelFromJson(c.text, "m.json");
    ASSERT_FALSE(m.ok()) << c.text;
    EXPECT_NE(m.status().message().find(c.words), std::string::npos) << m.status().message();
    EXPECT_EQ(m.status().message().rfind("m.json", 0), 0U) << m.status().message();
  }
}

TEST(EthzModels, AllFiveHandDrawingsBecomeModels) {
  const std::string root = testing::EthzDevRoot();
  if (root.empty()) GTEST_SKIP() << "ETHZ dev data not found; skipping";
  for (const char* name : {"applelogo", "bottle", "giraffe", "mug", "swan"}) {
    auto m = LoadShapeModel(root + "/models/" + name + ".tif");
    ASSERT_TRUE(m.ok()) << name << ": " << m.status().ToString();
    EXPECT_EQ(m->name, name);
    EXPECT_GT(m->bbox.area(), 0.25 * 90 * 90) << name;
    int drawn = 0;
    for (uint8_t d : m->drawn) drawn += d;
    EXPECT_GT(drawn, static_cast<int>(m->points.size()) * 7 / 10) << name;
  }
}

}  // namespace
}  // namespace msrf
