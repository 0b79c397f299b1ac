// The benchmark protocol on a tiny dataset the test writes, with detectors whose answers
// are known: the ground truth itself, nothing, false positives ranked first, loose boxes.
#include "msrf/eval/bench.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "msrf/eval/ethz.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

EdgeOptions CannyEdges() {
  EdgeOptions edges;
  edges.method = EdgeMethod::kCanny;
  return edges;
}

// What a fake detector answers for one image: the dataset's image and the model's class.
using Answer = std::function<std::vector<ScoredBox>(const DatasetImage& image, bool own_class)>;

// Reads the image's index from its first pixel (see TinyBench::Readers) and answers with
// `answer`.
class FakeDetector final : public ShapeDetector {
 public:
  FakeDetector(std::string name, const ShapeDataset& data, Answer answer)
      : name_(std::move(name)), data_(data), answer_(std::move(answer)) {}
  const std::string& name() const override { return name_; }
  Result<std::vector<ScoredBox>> Detect(const BenchImage& in,
                                        const ShapeModel& model) const override {
    const DatasetImage& image = data_.images[in.image.at<cv::Vec3b>(0, 0)[0]];
    return answer_(image, EthzModelName(image.group) == model.name);
  }

 private:
  std::string name_;
  const ShapeDataset& data_;
  Answer answer_;
};

// Two classes of two images each, one object per image.
class TinyBench : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_.path() / "models");
    for (const std::string klass : {"mugs", "swans"}) {
      const fs::path folder = root_.path() / (klass == "mugs" ? "Mugs" : "Swans");
      fs::create_directories(folder);
      std::ofstream(root_.path() / "models" / (EthzModelName(klass) + ".tif")) << "a drawing";
      for (int i = 0; i < 2; ++i) {
        const std::string stem = (folder / ("img" + std::to_string(i))).string();
        ASSERT_TRUE(cv::imwrite(stem + ".jpg", cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(0))));
        std::ofstream(stem + "_" + klass + ".groundtruth") << 10 + i << " 5 40 35\n";
        if (klass == std::string("mugs") && i == 0) {
          // The first mug's drawn outline: its box's border, three pixels wide.
          cv::Mat drawing(48, 64, CV_8U, cv::Scalar(0));
          cv::rectangle(drawing, cv::Point(10, 5), cv::Point(40, 35), cv::Scalar(200), 3);
          ASSERT_TRUE(cv::imwrite(stem + "_mugs_outlines.pgm", drawing));
        }
      }
    }
    Result<ShapeDataset> data = ReadEthzDataset(root_.path().string());
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    data_ = std::move(data).value();
    Result<BenchInputs> inputs = LoadBenchInputs(data_, CannyEdges(), Readers());
    ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
    inputs_ = std::move(inputs).value();
  }

  // Models named after their file; images whose first pixel holds their index.
  BenchReaders Readers() const {
    BenchReaders readers;
    readers.model = [](const std::string& path) {
      ShapeModel model;
      model.name = fs::path(path).stem().string();
      return Result<ShapeModel>(model);
    };
    readers.image = [this](const std::string& path, const std::string&) -> Result<BenchImage> {
      for (size_t i = 0; i < data_.images.size(); ++i) {
        if (data_.images[i].image_path == path) {
          return BenchImage{cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(static_cast<double>(i))),
                            cv::Mat(), cv::Mat()};
        }
      }
      return NotFoundError(path);
    };
    return readers;
  }

  std::vector<MethodScores> Score(const Answer& answer) {
    const FakeDetector detector("fake", data_, answer);
    Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&detector});
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    return runs.ok() ? ScoreShapeBench(data_, *runs) : std::vector<MethodScores>();
  }

  std::vector<MethodContours> Contours(const Answer& answer) {
    const FakeDetector detector("fake", data_, answer);
    Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&detector});
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    return runs.ok() ? ScoreBenchContours(data_, inputs_, *runs) : std::vector<MethodContours>();
  }

  testing::TempDir root_;
  ShapeDataset data_;
  BenchInputs inputs_;
};

std::vector<ScoredBox> Truth(const DatasetImage& image, double score) {
  std::vector<ScoredBox> boxes;
  for (const DatasetObject& o : image.objects) boxes.push_back({score, o.box});
  return boxes;
}

TEST_F(TinyBench, GroundTruthBoxesFindEveryObjectAtZeroFppi) {
  const auto scores = Score(
      [](const DatasetImage& image, bool own) { return own ? Truth(image, 1.0) : Truth({}, 0); });
  ASSERT_EQ(scores.size(), 1U);
  for (size_t k = 0; k < BenchCriteria().size(); ++k) {
    for (const DetectionCurve& c : scores[0].curves[k]) {
      EXPECT_EQ(c.num_instances, 2);
      EXPECT_EQ(c.num_images, 4);
      EXPECT_DOUBLE_EQ(c.RateAtFppi(0.0), 1.0);
      EXPECT_DOUBLE_EQ(c.fppi.back(), 0.0);
    }
    for (const auto& at : scores[0].rates[k]) {
      EXPECT_EQ(at, (std::vector<double>{1.0, 1.0, 1.0}));  // mugs, swans, mean
    }
  }
}

TEST_F(TinyBench, NoDetectionsFindNothing) {
  const auto scores = Score([](const DatasetImage&, bool) { return std::vector<ScoredBox>(); });
  ASSERT_EQ(scores.size(), 1U);
  for (const auto& criterion : scores[0].rates) {
    for (const auto& at : criterion) EXPECT_EQ(at, (std::vector<double>{0.0, 0.0, 0.0}));
  }
}

// Each model also fires on both images of the other class, above its true detections:
// two false positives over four images before the first object, so FPPI 0.5.
TEST_F(TinyBench, FalsePositivesRankedFirstCostHalfAFalsePositivePerImage) {
  const auto scores = Score([](const DatasetImage& image, bool own) {
    return own ? Truth(image, 0.5) : std::vector<ScoredBox>{{0.9, cv::Rect2d(0, 0, 20, 20)}};
  });
  ASSERT_EQ(scores.size(), 1U);
  for (const DetectionCurve& c : scores[0].curves[0]) {
    EXPECT_EQ(c.fppi, (std::vector<double>{0.25, 0.5, 0.5, 0.5}));
    EXPECT_EQ(c.detection_rate, (std::vector<double>{0.0, 0.0, 0.5, 1.0}));
  }
  for (const auto& at : scores[0].rates[0]) {  // at 0.3 and 0.4 FPPI: nothing found yet
    EXPECT_EQ(at, (std::vector<double>{0.0, 0.0, 0.0}));
  }
  EXPECT_DOUBLE_EQ(scores[0].curves[0][0].RateAtFppi(0.5), 1.0);
}

// Boxes shifted by half their width overlap the truth by IoU 1/3: PASCAL counts them as
// false positives, the 20% criterion as found.
TEST_F(TinyBench, LooseBoxesCountOnlyUnderTheTwentyPercentCriterion) {
  const auto scores = Score([](const DatasetImage& image, bool own) {
    std::vector<ScoredBox> boxes = own ? Truth(image, 1.0) : Truth({}, 0);
    for (ScoredBox& b : boxes) b.box.x += b.box.width / 2;
    return boxes;
  });
  ASSERT_EQ(scores.size(), 1U);
  ASSERT_EQ(BenchCriteria()[0].name, "pascal");
  ASSERT_EQ(BenchCriteria()[1].name, "iou20");
  EXPECT_EQ(scores[0].rates[0][1], (std::vector<double>{0.0, 0.0, 0.0}));
  EXPECT_EQ(scores[0].rates[1][1], (std::vector<double>{1.0, 1.0, 1.0}));
}

TEST_F(TinyBench, RunsEveryDetectorOnEveryImageWithEveryModel) {
  const FakeDetector a("a", data_,
                       [](const DatasetImage&, bool) { return std::vector<ScoredBox>(); });
  const FakeDetector b("b", data_, [](const DatasetImage& image, bool own) {
    return own ? Truth(image, 1.0) : Truth({}, 0);
  });
  std::atomic<int> calls{0};
  Result<std::vector<MethodDetections>> runs =
      RunShapeBench(data_, inputs_, {&a, &b},
                    [&calls](const std::string&, const std::string&, size_t) { ++calls; });
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  EXPECT_EQ(calls.load(), 2 * 2 * 4);  // detectors x models x images
  ASSERT_EQ(runs->size(), 2U);
  EXPECT_EQ((*runs)[0].name, "a");
  EXPECT_EQ((*runs)[1].by_class.at("mugs").size(), 2U);
  EXPECT_EQ((*runs)[1].by_class.at("mugs")[1].image, 1);  // image by image
  EXPECT_EQ((*runs)[1].by_class.at("swans")[0].image, 2);
}

TEST_F(TinyBench, ADetectorsErrorNamesTheImage) {
  class Failing final : public ShapeDetector {
   public:
    const std::string& name() const override { return name_; }
    Result<std::vector<ScoredBox>> Detect(const BenchImage&, const ShapeModel&) const override {
      return InternalError("it broke");
    }
    std::string name_ = "failing";
  } failing;
  Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&failing});
  ASSERT_FALSE(runs.ok());
  EXPECT_EQ(runs.status().message(), data_.images[0].image_path + ": it broke");
}

TEST_F(TinyBench, TheSummaryAndDetectionsHoldTheRates) {
  const FakeDetector truth("truth", data_, [](const DatasetImage& image, bool own) {
    return own ? Truth(image, 1.0) : Truth({}, 0);
  });
  Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&truth});
  ASSERT_TRUE(runs.ok());
  const auto scores = ScoreShapeBench(data_, *runs);
  const auto summary = nlohmann::json::parse(BenchSummaryJson(data_, scores, "canny"));
  EXPECT_EQ(summary["images"], 4);
  EXPECT_EQ(summary["edges"], "canny");
  EXPECT_EQ(summary["methods"][0]["name"], "truth");
  EXPECT_EQ(summary["methods"][0]["dr"]["pascal"]["0.3"]["mugs"], 1.0);
  EXPECT_EQ(summary["methods"][0]["dr"]["iou20"]["0.4"]["mean"], 1.0);
  const auto detections = nlohmann::json::parse(BenchDetectionsJson(data_, *runs));
  EXPECT_EQ(detections["images"].size(), 4U);
  EXPECT_EQ(detections["images"][0]["ground_truth"][0], (std::vector<double>{10, 5, 40, 35}));
  EXPECT_EQ(detections["methods"][0]["detections"].size(), 4U);
  const std::string table = BenchTable(data_, scores, "canny");
  EXPECT_NE(table.find("truth    pascal    0.3        1.000      1.000      1.000"),
            std::string::npos)
      << table;
  EXPECT_FALSE(BenchCurves(data_, scores).empty());
}

TEST(CreateShapeDetector, MakesEachMethodByNameAndRefusesOthers) {
  for (const std::string& method : ShapeDetectorMethods()) {
    Result<std::unique_ptr<ShapeDetector>> d = CreateShapeDetector(method, {});
    ASSERT_TRUE(d.ok()) << method;
    EXPECT_EQ((*d)->name(), method);
  }
  Result<std::unique_ptr<ShapeDetector>> sift = CreateShapeDetector("sift", {});
  EXPECT_EQ(sift.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(sift.status().message().find("'sift'"), std::string::npos);
}

// The rectangle x in [10, 40], y in [5, 35] shifted by dx, as a closed outline or as the
// polyline of its top and left sides.
std::vector<cv::Point2d> Rectangle(double dx) {
  return {{10 + dx, 5}, {40 + dx, 5}, {40 + dx, 35}, {10 + dx, 35}};
}

TEST_F(TinyBench, TheRecallCeilingCountsObjectsBoxedAtAnyRank) {
  // Every image's true box ranked below two false positives: few objects count at low FPPI,
  // but every one is boxed.
  const auto scores = Score([](const DatasetImage& image, bool own) {
    std::vector<ScoredBox> boxes = {{0.9, cv::Rect2d(0, 0, 5, 5)}, {0.8, cv::Rect2d(50, 0, 5, 5)}};
    if (own) boxes.push_back({0.1, image.objects[0].box});
    return boxes;
  });
  ASSERT_EQ(scores.size(), 1U);
  EXPECT_EQ(scores[0].recall_ceiling, (std::vector<double>{1.0, 1.0, 1.0}));
  EXPECT_LT(scores[0].rates[0][0].back(), 1.0);
  // Boxes shifted to IoU below 0.5 box nothing; one class found, one not: the mean is half.
  const auto shifted = Score([](const DatasetImage& image, bool own) {
    std::vector<ScoredBox> boxes;
    if (own)
      boxes.push_back({1.0, image.objects[0].box + cv::Point2d(image.group == "mugs" ? 20 : 0, 0)});
    return boxes;
  });
  EXPECT_EQ(shifted[0].recall_ceiling, (std::vector<double>{0.0, 1.0, 0.5}));
}

TEST_F(TinyBench, ContoursOfCorrectDetectionsAreMatchedToTheDrawnOutline) {
  // Only the first mug has a drawn outline: one case, in mugs and in "all".
  const auto exact = Contours([](const DatasetImage& image, bool own) {
    std::vector<ScoredBox> boxes;
    if (own)
      boxes.push_back({1.0, image.objects[0].box, Rectangle(0), {{{10, 35}, {10, 5}, {40, 5}}}});
    return boxes;
  });
  ASSERT_EQ(exact.size(), 1U);
  ASSERT_EQ(exact[0].classes.size(), 3U);  // mugs, swans, all
  ASSERT_EQ(exact[0].classes[0].cases.size(), 1U);
  EXPECT_TRUE(exact[0].classes[1].cases.empty());
  EXPECT_EQ(exact[0].classes[2].cases.size(), 1U);
  EXPECT_TRUE(exact[0].has_outline && exact[0].has_fragments);
  const ClassContours& mugs = exact[0].classes[0];
  EXPECT_GT(mugs.outline.coverage, 0.97);
  EXPECT_GT(mugs.outline.precision, 0.97);
  // The fragments trace two of the four sides: half the outline, all of it on the outline.
  EXPECT_NEAR(mugs.fragments.coverage, 0.5, 0.06);
  EXPECT_GT(mugs.fragments.precision, 0.97);
  // Shifted by 6 pixels (beyond 4% of the 42-pixel diagonal): only the crossing sides match.
  const auto shifted = Contours([](const DatasetImage& image, bool own) {
    std::vector<ScoredBox> boxes;
    if (own) boxes.push_back({1.0, image.objects[0].box, Rectangle(6), {}});
    return boxes;
  });
  EXPECT_LT(shifted[0].classes[0].outline.coverage, 0.6);
  EXPECT_LT(shifted[0].classes[0].outline.precision, 0.6);
  EXPECT_FALSE(shifted[0].has_fragments);
  // A box without contours (a peer's) has no case.
  const auto boxes_only = Contours(
      [](const DatasetImage& image, bool own) { return own ? Truth(image, 1.0) : Truth({}, 0); });
  EXPECT_TRUE(boxes_only[0].classes[2].cases.empty());
  EXPECT_FALSE(boxes_only[0].has_outline);
}

}  // namespace
}  // namespace msrf
