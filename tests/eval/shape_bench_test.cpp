// The benchmark on a dataset of drawn shapes described by a manifest, with detectors whose
// answers are known, so that every rate is computed by hand: squares and discs drawn at known
// boxes, one image holding both, one holding neither.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "msrf/eval/bench.h"
#include "msrf/eval/manifest.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

// Image by image, the objects drawn: image 2 holds a square and a disc, image 3 nothing.
//   image:   0       1     2              3   4       5
//   objects: square  disc  square, disc   -   square  disc
class DrawnShapes : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<std::vector<std::pair<std::string, cv::Rect>>> drawn = {
        {{"square", {20, 30, 50, 50}}},
        {{"disc", {70, 20, 60, 60}}},
        {{"square", {10, 10, 40, 40}}, {"disc", {90, 50, 50, 50}}},
        {},
        {{"square", {60, 40, 70, 70}}},
        {{"disc", {30, 30, 44, 44}}}};
    nlohmann::json images = nlohmann::json::array();
    for (size_t i = 0; i < drawn.size(); ++i) {
      cv::Mat image(120, 160, CV_8UC3, cv::Scalar::all(255));
      nlohmann::json objects = nlohmann::json::array();
      for (const auto& [klass, r] : drawn[i]) {
        if (klass == "square") {
          cv::rectangle(image, r, cv::Scalar::all(0), 2);
        } else {
          cv::ellipse(image, (r.tl() + r.br()) / 2, r.size() / 2, 0, 0, 360, cv::Scalar::all(0), 2);
        }
        objects.push_back({{"class", klass}, {"box", {r.x, r.y, r.x + r.width, r.y + r.height}}});
      }
      const std::string name = "img" + std::to_string(i) + ".png";
      ASSERT_TRUE(cv::imwrite(dir_.Path(name), image));
      images.push_back({{"path", name}, {"objects", objects}});
    }
    std::ofstream(dir_.Path("square.json"))
        << R"({"name": "square", "polygon": [[0, 0], [40, 0], [40, 40], [0, 40]]})";
    cv::Mat disc(80, 80, CV_8U, cv::Scalar(0));
    cv::circle(disc, {40, 40}, 30, cv::Scalar(255), cv::FILLED);
    ASSERT_TRUE(cv::imwrite(dir_.Path("disc.png"), disc));
    const nlohmann::json manifest = {{"schema", 1},
                                     {"classes",
                                      {{{"name", "square"}, {"model", "square.json"}},
                                       {{"name", "disc"}, {"model", "disc.png"}}}},
                                     {"images", images}};
    std::ofstream(dir_.Path("shapes.json")) << manifest.dump(1);
    Result<ShapeDataset> data = ReadShapeManifest(dir_.Path("shapes.json"));
    ASSERT_TRUE(data.ok()) << data.status().ToString();
    data_ = std::move(data).value();
    BenchReaders readers;
    readers.model = [](const std::string& path) { return LoadShapeModel(path); };
    readers.image = [](const std::string& path, const std::string&) -> Result<BenchImage> {
      BenchImage in;
      MSRF_ASSIGN_OR_RETURN(in.image, ReadImage(path));
      return in;
    };
    Result<BenchInputs> inputs = LoadBenchInputs(data_, testing::CannyEdgeOptions(), readers);
    ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
    inputs_ = std::move(inputs).value();
  }

  // The class of a model of the dataset.
  std::string ClassOf(const ShapeModel* model) const {
    for (const auto& [klass, m] : inputs_.models) {
      if (&m == model) return klass;
    }
    return "";
  }

  // The index of one of the dataset's images.
  size_t IndexOf(const BenchImage& image) const {
    return static_cast<size_t>(&image - inputs_.images.data());
  }

  std::vector<MethodScores> Score(const ShapeDetector& detector) {
    Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&detector});
    EXPECT_TRUE(runs.ok()) << runs.status().ToString();
    return runs.ok() ? ScoreShapeBench(data_, *runs) : std::vector<MethodScores>();
  }

  testing::TempDir dir_;
  ShapeDataset data_;
  BenchInputs inputs_;
};

// Answers each image and model with `answer(image index, class)`; counts its calls.
class Oracle final : public ShapeDetector {
 public:
  using Answer = std::function<std::vector<ScoredBox>(size_t image, const std::string& klass)>;
  Oracle(Answer answer, std::function<size_t(const BenchImage&)> index_of,
         std::function<std::string(const ShapeModel*)> class_of)
      : answer_(std::move(answer)),
        index_of_(std::move(index_of)),
        class_of_(std::move(class_of)) {}
  const std::string& name() const override { return name_; }
  Result<std::vector<ScoredBox>> Detect(const BenchImage& image,
                                        const ShapeModel& model) const override {
    ++detect_calls;
    return answer_(index_of_(image), class_of_(&model));
  }
  Result<std::vector<std::vector<ScoredBox>>> DetectModels(
      const BenchImage& image, const std::vector<const ShapeModel*>& models) const override {
    ++image_calls;
    models_per_call = models.size();
    return ShapeDetector::DetectModels(image, models);
  }
  mutable std::atomic<int> detect_calls{0}, image_calls{0};
  mutable std::atomic<size_t> models_per_call{0};

 private:
  const std::string name_ = "oracle";
  Answer answer_;
  std::function<size_t(const BenchImage&)> index_of_;
  std::function<std::string(const ShapeModel*)> class_of_;
};

// An Oracle of this test's dataset.
#define ORACLE(answer)                                            \
  Oracle(                                                         \
      answer, [this](const BenchImage& i) { return IndexOf(i); }, \
      [this](const ShapeModel* m) { return ClassOf(m); })

TEST_F(DrawnShapes, TheManifestsObjectsAreTheGroundTruthOfTheirClass) {
  ASSERT_EQ(data_.images.size(), 6U);
  EXPECT_EQ(data_.classes, (std::vector<std::string>{"square", "disc"}));
  EXPECT_EQ(data_.images[2].Boxes("disc"), std::vector<cv::Rect2d>{cv::Rect2d(90, 50, 50, 50)});
  EXPECT_TRUE(data_.images[3].objects.empty());
  EXPECT_EQ(inputs_.images[2].outlines.size(), 2U);  // one (empty) per object
}

TEST_F(DrawnShapes, FindingEveryObjectIsDetectionRateOneAtZeroFppi) {
  const Oracle oracle = ORACLE(([this](size_t i, const std::string& klass) {
    std::vector<ScoredBox> boxes;
    for (const cv::Rect2d& b : data_.images[i].Boxes(klass)) boxes.push_back({1.0, b});
    return boxes;
  }));
  const auto scores = Score(oracle);
  ASSERT_EQ(scores.size(), 1U);
  for (size_t k = 0; k < BenchCriteria().size(); ++k) {
    for (const DetectionCurve& c : scores[0].curves[k]) {
      EXPECT_EQ(c.num_instances, 3);
      EXPECT_EQ(c.num_images, 6);
      EXPECT_DOUBLE_EQ(c.RateAtFppi(0.0), 1.0);
      EXPECT_DOUBLE_EQ(c.fppi.back(), 0.0);
    }
  }
  EXPECT_EQ(scores[0].recall_ceiling, (std::vector<double>{1.0, 1.0, 1.0}));
  // Every model on every image: one DetectModels call per image with both models.
  EXPECT_EQ(oracle.image_calls.load(), 6);
  EXPECT_EQ(oracle.models_per_call.load(), 2U);
  EXPECT_EQ(oracle.detect_calls.load(), 12);
}

TEST_F(DrawnShapes, BoxesOffByIouBelowAHalfAreFalsePositives) {
  // Each object boxed shifted by 40% of its width: IoU 0.6 / 1.4 = 0.43.
  const Oracle oracle = ORACLE(([this](size_t i, const std::string& klass) {
    std::vector<ScoredBox> boxes;
    for (cv::Rect2d b : data_.images[i].Boxes(klass)) {
      b.x += 0.4 * b.width;
      boxes.push_back({1.0, b});
    }
    return boxes;
  }));
  const auto scores = Score(oracle);
  ASSERT_EQ(scores.size(), 1U);
  for (const DetectionCurve& c : scores[0].curves[0]) {  // PASCAL
    EXPECT_EQ(c.detection_rate, (std::vector<double>{0, 0, 0}));
    EXPECT_EQ(c.fppi, (std::vector<double>{1.0 / 6, 2.0 / 6, 3.0 / 6}));
  }
  EXPECT_EQ(scores[0].rates[1][0], (std::vector<double>{1.0, 1.0, 1.0}));  // IoU >= 0.2
  EXPECT_EQ(scores[0].recall_ceiling, (std::vector<double>{0.0, 0.0, 0.0}));
}

TEST_F(DrawnShapes, ABoxOnAnotherClasssObjectIsAFalsePositive) {
  // The square model answers the disc of image 2 above the squares; the disc model finds the
  // discs. Squares: one false positive in 6 images before any square, then all three.
  const Oracle oracle = ORACLE(([this](size_t i, const std::string& klass) {
    std::vector<ScoredBox> boxes;
    for (const cv::Rect2d& b : data_.images[i].Boxes(klass)) boxes.push_back({0.5, b});
    if (klass == "square" && i == 2) boxes.push_back({0.9, data_.images[2].Boxes("disc")[0]});
    return boxes;
  }));
  const auto scores = Score(oracle);
  ASSERT_EQ(scores.size(), 1U);
  const DetectionCurve& squares = scores[0].curves[0][0];
  EXPECT_EQ(squares.fppi, (std::vector<double>{1.0 / 6, 1.0 / 6, 1.0 / 6, 1.0 / 6}));
  EXPECT_EQ(squares.detection_rate, (std::vector<double>{0.0, 1.0 / 3, 2.0 / 3, 1.0}));
  EXPECT_DOUBLE_EQ(squares.RateAtFppi(0.0), 0.0);
  EXPECT_DOUBLE_EQ(squares.RateAtFppi(0.3), 1.0);
  EXPECT_DOUBLE_EQ(scores[0].curves[0][1].RateAtFppi(0.0), 1.0);  // discs
}

TEST_F(DrawnShapes, HalvesTakeEveryOtherImageOfEachClassAndOfTheNegatives) {
  // Groups by first object: squares 0, 2, 4; discs 1, 5; no objects 3. Odd half: 0, 4, 1, 3;
  // even half: 2, 5.
  const Oracle oracle = ORACLE(([this](size_t i, const std::string& klass) {
    std::vector<ScoredBox> boxes;
    for (const cv::Rect2d& b : data_.images[i].Boxes(klass)) boxes.push_back({1.0, b});
    return boxes;
  }));
  Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&oracle});
  ASSERT_TRUE(runs.ok());
  const BenchHalves halves = ScoreHalves(data_, *runs);
  ASSERT_EQ(halves.odd.size(), 1U);
  const auto& odd = halves.odd[0].curves[0];
  EXPECT_EQ(odd[0].num_images, 4);
  EXPECT_EQ(odd[0].num_instances, 2);  // squares of images 0 and 4
  EXPECT_EQ(odd[1].num_instances, 1);  // the disc of image 1
  const auto& even = halves.even[0].curves[0];
  EXPECT_EQ(even[0].num_images, 2);
  EXPECT_EQ(even[0].num_instances, 1);  // the square of image 2
  EXPECT_EQ(even[1].num_instances, 2);  // the discs of images 2 and 5
  EXPECT_EQ(halves.even[0].rates[0][0].back(), 1.0);
}

TEST_F(DrawnShapes, TheDefaultDetectModelsGivesWhatDetectGivesModelByModel) {
  const Oracle oracle = ORACLE(([](size_t i, const std::string& klass) {
    return std::vector<ScoredBox>{
        {klass == "square" ? 0.25 : 0.75, cv::Rect2d(static_cast<double>(i), 0, 5, 5)}};
  }));
  const ShapeModel& square = inputs_.models.at("square");
  const ShapeModel& disc = inputs_.models.at("disc");
  Result<std::vector<std::vector<ScoredBox>>> both =
      oracle.DetectModels(inputs_.images[4], {&disc, &square});
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2U);
  EXPECT_EQ((*both)[0][0].score, 0.75);
  EXPECT_EQ((*both)[1][0].score, 0.25);
  EXPECT_EQ((*both)[1][0].box.x, 4.0);
  EXPECT_FALSE(oracle.DetectModels(inputs_.images[0], {nullptr}).ok());
}

TEST_F(DrawnShapes, TheOutputsNameEveryObjectsClass) {
  const Oracle oracle = ORACLE(([this](size_t i, const std::string& klass) {
    std::vector<ScoredBox> boxes;
    for (const cv::Rect2d& b : data_.images[i].Boxes(klass)) boxes.push_back({1.0, b});
    return boxes;
  }));
  Result<std::vector<MethodDetections>> runs = RunShapeBench(data_, inputs_, {&oracle});
  ASSERT_TRUE(runs.ok());
  const auto detections = nlohmann::json::parse(BenchDetectionsJson(data_, *runs));
  const auto& image2 = detections["images"][2];
  EXPECT_EQ(image2["class"], "square");
  EXPECT_EQ(image2["name"], "img2.png");
  EXPECT_EQ(image2["ground_truth"], nlohmann::json::parse("[[10, 10, 50, 50]]"));
  EXPECT_EQ(image2["objects"][1]["class"], "disc");
  EXPECT_EQ(image2["objects"][1]["box"], nlohmann::json::parse("[90, 50, 140, 100]"));
  EXPECT_EQ(detections["images"][3]["class"], "");
  EXPECT_EQ(detections["methods"][0]["detections"].size(), 6U);
  const auto scores = ScoreShapeBench(data_, *runs);
  const auto summary = nlohmann::json::parse(BenchSummaryJson(data_, scores, "canny"));
  EXPECT_EQ(summary["root"], dir_.Path("shapes.json"));
  EXPECT_EQ(summary["methods"][0]["dr"]["pascal"]["0.3"]["disc"], 1.0);
  EXPECT_NE(BenchTable(data_, scores, "canny").find("shapes 6 images, 2 models"),
            std::string::npos);
}

TEST_F(DrawnShapes, AnObjectsOwnMaskOrOutlineIsItsTrueOutline) {
  // The square of image 0 as a filled mask, the disc of image 1 as a drawn outline.
  cv::Mat mask(120, 160, CV_8U, cv::Scalar(0));
  cv::rectangle(mask, cv::Rect(20, 30, 50, 50), cv::Scalar(255), cv::FILLED);
  ASSERT_TRUE(cv::imwrite(dir_.Path("mask0.png"), mask));
  cv::Mat outline(120, 160, CV_8U, cv::Scalar(0));
  cv::circle(outline, {100, 50}, 30, cv::Scalar(90), 3);
  ASSERT_TRUE(cv::imwrite(dir_.Path("outline1.png"), outline));
  DatasetImage square = data_.images[0];
  square.objects[0].mask_path = dir_.Path("mask0.png");
  Result<std::vector<std::vector<cv::Point>>> a = ReadDatasetOutlines(square, cv::Size(160, 120));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 1U);
  // The mask's boundary: the rectangle's 4 x 49 border pixels.
  EXPECT_EQ((*a)[0].size(), 196U);
  EXPECT_EQ(cv::boundingRect((*a)[0]), cv::Rect(20, 30, 50, 50));
  DatasetImage disc = data_.images[1];
  disc.objects[0].outline_path = dir_.Path("outline1.png");
  Result<std::vector<std::vector<cv::Point>>> b = ReadDatasetOutlines(disc, cv::Size(160, 120));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  for (const cv::Point& p : (*b)[0]) EXPECT_NEAR(cv::norm(p - cv::Point(100, 50)), 30, 1.5);
  // A file of another size than the photo is refused, naming it.
  Result<std::vector<std::vector<cv::Point>>> wrong = ReadDatasetOutlines(disc, cv::Size(80, 60));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("outline1.png"), std::string::npos);
}

}  // namespace
}  // namespace msrf
