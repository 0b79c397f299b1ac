// Models from masks and drawings of animals with thin legs close together: every one that
// `msrf model` accepts reads back and is accepted by detection.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <string>
#include <vector>

#include "msrf/grouping/detect.h"
#include "msrf/io/model_io.h"
#include "msrf/shape/outline_trace.h"
#include "msrf/shape/polygon_check.h"
#include "msrf/shape/shape_model.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// A four-legged animal (0/255): body and head ellipses, a thin curled tail, and two pairs of
// legs 5 pixels wide whose tops are 3 pixels apart and whose feet are `foot_gap` apart
// (0: the feet touch; negative: the legs cross).
cv::Mat Animal(int foot_gap) {
  cv::Mat mask = cv::Mat::zeros(200, 280, CV_8U);
  const cv::Scalar white(255);
  cv::ellipse(mask, {140, 80}, {80, 28}, 0, 0, 360, white, cv::FILLED);
  cv::ellipse(mask, {232, 46}, {24, 13}, -25, 0, 360, white, cv::FILLED);
  cv::fillConvexPoly(mask, std::vector<cv::Point>{{200, 70}, {215, 40}, {228, 52}, {214, 82}},
                     white);
  for (const int x : {78, 188}) {
    const int lean = 3 - foot_gap;  // the first leg's foot moves this far towards the second
    cv::fillConvexPoly(
        mask, std::vector<cv::Point>{{x, 95}, {x + 5, 95}, {x + 5 + lean, 178}, {x + lean, 178}},
        white);
    cv::fillConvexPoly(
        mask, std::vector<cv::Point>{{x + 8, 95}, {x + 13, 95}, {x + 14, 178}, {x + 9, 178}},
        white);
  }
  cv::polylines(mask, std::vector<cv::Point>{{64, 78}, {44, 66}, {30, 80}, {30, 100}, {40, 112}},
                false, white, 2);  // tail, 2 pixels wide
  return mask;
}

// The drawing of a mask's outline, one pixel dark lines on white, with `gaps` gaps of two
// pixels cut into it.
cv::Mat Drawing(const cv::Mat& mask, int gaps) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  cv::Mat drawing(mask.size(), CV_8U, cv::Scalar(255));
  cv::drawContours(drawing, contours, -1, cv::Scalar(0), 1);
  const auto& c = contours[0];
  for (int g = 0; g < gaps; ++g) {
    const cv::Point p = c[c.size() * static_cast<size_t>(2 * g + 1) / (2 * gaps)];
    drawing(cv::Rect(p.x - 1, p.y - 1, 2, 2) & cv::Rect({}, mask.size())).setTo(255);
  }
  return drawing;
}

// The fraction of the mask and the model's filled outline that they share (intersection
// over union).
double OverlapWithMask(const ShapeModel& m, const cv::Mat& mask) {
  cv::Mat filled = testing::DrawFilledShape(mask.size(), m.points) > 120;
  const cv::Mat inside = mask > 127;
  return static_cast<double>(cv::countNonZero(filled & inside)) / cv::countNonZero(filled | inside);
}

// What detection does with a model file: read it back with the default options, so the
// same checks apply.
void ExpectDetectionAccepts(const ShapeModel& m, const std::string& what) {
  const std::string json = ShapeModelToJson(m);
  const auto back = ShapeModelFromJson(json, what + ".json");
  ASSERT_TRUE(back.ok()) << what << ": " << back.status().ToString();
  EXPECT_TRUE(ValidateClosedPolygon(back->points).ok()) << what;
  EXPECT_EQ(back->points.size(), m.points.size()) << what;
}

struct Case {
  std::string name;
  cv::Mat mask;
};

std::vector<Case> AnimalMasks() {
  std::vector<Case> cases;
  for (const int gap : {3, 2, 1, 0, -2}) {
    cases.push_back({"feet " + std::to_string(gap) + " px apart", Animal(gap)});
    cases.push_back({"feet " + std::to_string(gap) + " px apart, JPEG 50",
                     testing::JpegRoundTrip(Animal(gap), 50)});
  }
  return cases;
}

// The traced outline at `n` points a constant arc length apart, joined in order: what the
// model would be without untangling.
std::vector<cv::Point2d> Resampled(const std::vector<cv::Point2d>& p, int n) {
  std::vector<double> cumulative(p.size() + 1, 0.0);
  for (size_t i = 0; i < p.size(); ++i)
    cumulative[i + 1] = cumulative[i] + cv::norm(p[(i + 1) % p.size()] - p[i]);
  std::vector<cv::Point2d> out;
  size_t seg = 0;
  for (int k = 0; k < n; ++k) {
    const double s = cumulative.back() * k / n;
    while (seg + 1 < p.size() && cumulative[seg + 1] <= s) ++seg;
    const double t = (s - cumulative[seg]) / (cumulative[seg + 1] - cumulative[seg]);
    out.push_back(p[seg] + t * (p[(seg + 1) % p.size()] - p[seg]));
  }
  return out;
}

TEST(ShapeModelFromMask, GivesAnimalsWithThinLegsCloseTogetherAModelThatReadsBack) {
  int tangled = 0;  // outlines that cross themselves once resampled, before untangling
  for (const Case& c : AnimalMasks()) {
    const auto outline = TraceMaskOutline(c.mask, ShapeModelOptions().mask_sigma);
    ASSERT_TRUE(outline.ok()) << c.name << ": " << outline.status().ToString();
    for (const int points : {16, 24, 32, 48, 64, 128, 256}) {
      tangled += FindTouchingEdges(Resampled(*outline, points)).has_value();
      ShapeModelOptions options;
      options.num_points = points;
      options.part_vertices = {4, 8, 16};
      const auto m = ShapeModelFromMask(c.mask, options);
      ASSERT_TRUE(m.ok()) << c.name << ": " << m.status().ToString();
      EXPECT_FALSE(FindTouchingEdges(m->points)) << c.name << ", " << points << " points";
      ExpectDetectionAccepts(*m, c.name);
      // Untangling moves no point: the outline still covers the animal.
      EXPECT_GT(OverlapWithMask(*m, c.mask), points >= 128  ? 0.9
                                             : points >= 48 ? 0.8
                                                            : 0.6)
          << c.name << ", " << points << " points";
    }
  }
  EXPECT_GT(tangled, 5);
}

TEST(ShapeModelFromMask, TracesAJpegMaskAsItTracesTheMaskItself) {
  const cv::Mat mask = Animal(2);
  const auto clean = ShapeModelFromMask(mask);
  const auto jpeg = ShapeModelFromMask(testing::JpegRoundTrip(mask, 50));
  ASSERT_TRUE(clean.ok() && jpeg.ok());
  EXPECT_NEAR(jpeg->perimeter, clean->perimeter, 0.01 * clean->perimeter);
  double worst = 0.0;
  for (const cv::Point2d& p : jpeg->points)
    worst = std::max(worst, testing::DistanceToPolyline(p, clean->points, true));
  EXPECT_LT(worst, 1.0);
}

TEST(ShapeModelFromMask, IgnoresHolesInsideTheShape) {
  cv::Mat mask = Animal(2);
  cv::circle(mask, {140, 80}, 15, cv::Scalar(0), cv::FILLED);
  cv::circle(mask, {180, 70}, 6, cv::Scalar(0), cv::FILLED);
  const auto holed = ShapeModelFromMask(mask);
  const auto whole = ShapeModelFromMask(Animal(2));
  ASSERT_TRUE(holed.ok() && whole.ok());
  for (size_t i = 0; i < holed->points.size(); ++i)
    EXPECT_LT(cv::norm(holed->points[i] - whole->points[i]), 1e-6);
}

TEST(ShapeModelFromMask, DropsASpeckAndRefusesASecondAnimal) {
  cv::Mat mask = Animal(2);
  cv::circle(mask, {20, 180}, 3, cv::Scalar(255), cv::FILLED);
  EXPECT_TRUE(ShapeModelFromMask(mask).ok());
  cv::Mat two;
  cv::hconcat(Animal(2), Animal(1), two);
  const auto m = ShapeModelFromMask(two);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("the mask holds 2 separate shapes"), std::string::npos)
      << m.status().message();
}

TEST(ShapeModelFromOutline, GivesDrawingsWithGapsAndLegsCloseTogetherAModelThatReadsBack) {
  for (const int gap : {3, 1, 0}) {
    for (const int gaps : {0, 3}) {
      const std::string what =
          "feet " + std::to_string(gap) + " px apart, " + std::to_string(gaps) + " gaps";
      const cv::Mat drawing = Drawing(Animal(gap), gaps);
      for (const int max_gap : {3, 6}) {
        ShapeModelOptions options;
        options.max_gap = max_gap;
        const auto m = ShapeModelFromOutline(drawing, options);
        ASSERT_TRUE(m.ok()) << what << ": " << m.status().ToString();
        EXPECT_FALSE(FindTouchingEdges(m->points)) << what;
        ExpectDetectionAccepts(*m, what);
      }
    }
  }
}

// A stroke that runs out of the outline is a part one pixel wide, along which the pixel
// boundary of the drawing's region runs twice: resampled, it touched itself, and detection
// refused the model that the model command wrote.
TEST(ShapeModelFromOutline, GivesADrawingWithStrayStrokesAModelThatReadsBack) {
  cv::Mat drawing(200, 200, CV_8U, cv::Scalar(255));
  cv::rectangle(drawing, {40, 40}, {160, 160}, cv::Scalar(0), 1);
  cv::line(drawing, {160, 100}, {195, 60}, cv::Scalar(0), 1);
  cv::line(drawing, {40, 150}, {5, 190}, cv::Scalar(0), 1);
  for (const int points : {64, 128, 256}) {
    ShapeModelOptions options;
    options.num_points = points;
    const auto m = ShapeModelFromOutline(drawing, options);
    ASSERT_TRUE(m.ok()) << points << " points: " << m.status().ToString();
    EXPECT_FALSE(FindTouchingEdges(m->points)) << points << " points";
    ExpectDetectionAccepts(*m, "stray strokes");
    EXPECT_GT(m->bbox.width, 185);  // the strokes are part of the drawing
  }
}

// The other way round: what the model command writes, detection runs on.
TEST(ShapeModelFromMask, GivesModelsThatDetectionRunsOn) {
  for (const int gap : {1, -2}) {
    const auto m = ShapeModelFromMask(testing::JpegRoundTrip(Animal(gap), 50));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    const auto back = ShapeModelFromJson(ShapeModelToJson(*m), "animal.json");
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    TargetSceneOptions so;
    so.size = {240, 180};
    so.base_size = 90;
    so.min_scale = so.max_scale = 1.0;
    const TargetScene scene = DrawTargetScene(back->points, so);
    const auto r = Detect(scene.image, *back, testing::CannyDetectOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

}  // namespace
}  // namespace msrf
