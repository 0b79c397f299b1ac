// `msrf bench shapes` on a dataset of generated scenes and its manifest, made by the test;
// `msrf bench coco-manifest` on a hand-written COCO file.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>

#include "cli/cli_support.h"
#include "msrf/io/file_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::RunCli;
namespace fs = std::filesystem;

// Two classes, a mug-like polygon and a bottle-like one, each drawn into two clutter scenes
// at the box the generator reports, and one scene of clutter alone.
class ShapesManifest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<cv::Point2d> mug = {{0, 0},   {60, 0},  {60, 20}, {80, 20},
                                          {80, 60}, {60, 60}, {60, 90}, {0, 90}};
    const std::vector<cv::Point2d> bottle = {{15, 0},   {25, 0},  {25, 20}, {40, 35},
                                             {40, 100}, {0, 100}, {0, 35},  {15, 20}};
    nlohmann::json images = nlohmann::json::array();
    int n = 0;
    for (const auto& [klass, outline] : {std::pair{std::string("mug"), mug}, {"bottle", bottle}}) {
      nlohmann::json polygon = nlohmann::json::array();
      for (const cv::Point2d& p : outline) polygon.push_back({p.x, p.y});
      std::ofstream(dir_.Path(klass + ".json")) << nlohmann::json{{"polygon", polygon}}.dump();
      for (int i = 0; i < 2; ++i, ++n) {
        TargetSceneOptions o;
        o.seed = static_cast<uint64_t>(40 + n);
        o.size = {320, 240};
        o.base_size = 90;
        o.num_breaks = 1;
        o.occlusion = 0.0;
        const TargetScene scene = DrawTargetScene(outline, o);
        const std::string name = "scene" + std::to_string(n) + ".png";
        ASSERT_TRUE(cv::imwrite(dir_.Path(name), scene.image));
        const cv::Rect2d& b = scene.box;
        images.push_back(
            {{"path", name},
             {"objects",
              {{{"class", klass}, {"box", {b.x, b.y, b.x + b.width, b.y + b.height}}}}}});
      }
    }
    TargetSceneOptions o;
    o.seed = 99;
    o.size = {320, 240};
    o.draw_target = false;
    ASSERT_TRUE(cv::imwrite(dir_.Path("clutter.png"), DrawTargetScene(mug, o).image));
    images.push_back({{"path", "clutter.png"}});
    manifest_ = {{"schema", 1},
                 {"name", "drawn"},
                 {"classes",
                  {{{"name", "mug"}, {"model", "mug.json"}},
                   {{"name", "bottle"}, {"model", "bottle.json"}}}},
                 {"images", images}};
    Write(manifest_);
  }

  void Write(const nlohmann::json& manifest) const {
    std::ofstream(dir_.Path("drawn.json")) << manifest.dump(1);
  }

  testing::TempDir dir_;
  testing::TempDir out_;
  nlohmann::json manifest_;
};

TEST_F(ShapesManifest, BenchWritesSummaryDetectionsAndCurves) {
  const auto run = RunCli({"bench", "shapes", "--manifest", dir_.Path("drawn.json"), "--out",
                           out_.path().string(), "--methods", "msrf,chamfer", "--edges", "canny",
                           "--threads", "2"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("drawn 5 images, 2 models"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("odd-numbered images"), std::string::npos) << run.out;
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"contours.png", "curves.png", "detections.json",
                                                    "summary.json"}));
  const auto summary = nlohmann::json::parse(*ReadFileToString(out_.Path("summary.json")));
  EXPECT_EQ(summary["images"], 5);
  EXPECT_EQ(summary["edges"], "canny");
  ASSERT_EQ(summary["methods"].size(), 2U);
  const auto& msrf = summary["methods"][0];
  for (const char* key : {"mug", "bottle", "mean"}) {
    EXPECT_TRUE(msrf["dr"]["pascal"]["0.4"].contains(key)) << key;
  }
  // Clean drawn scenes: msrf finds most objects at 0.4 FPPI.
  EXPECT_GE(msrf["dr"]["pascal"]["0.4"]["mean"].get<double>(), 0.5);
  EXPECT_TRUE(summary["halves"]["odd"].contains("chamfer"));
  const auto detections = nlohmann::json::parse(*ReadFileToString(out_.Path("detections.json")));
  ASSERT_EQ(detections["images"].size(), 5U);
  EXPECT_EQ(detections["images"][2]["objects"][0]["class"], "bottle");
  EXPECT_EQ(detections["images"][4]["objects"].size(), 0U);
  EXPECT_FALSE(cv::imread(out_.Path("curves.png")).empty());
}

// A manifest refused before any work: exit 2, one line naming the manifest and the field, no
// output folder.
void ExpectRefused(const std::string& manifest, const std::string& field,
                   const std::vector<std::string>& more = {}) {
  testing::TempDir parent;
  std::vector<std::string> args = {"bench",     "shapes", "--manifest",
                                   manifest,    "--out",  parent.Path("results"),
                                   "--methods", "chamfer"};
  args.insert(args.end(), more.begin(), more.end());
  const auto run = RunCli(args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(field), std::string::npos) << run.err;
  EXPECT_TRUE(parent.Files().empty()) << run.err;
}

TEST_F(ShapesManifest, BadManifestsAreOneLineAndNoOutput) {
  const std::string path = dir_.Path("drawn.json");
  auto bad = manifest_;
  bad["images"][1]["path"] = "nowhere.png";
  Write(bad);
  ExpectRefused(path, path + ": images[1].path: ");
  bad = manifest_;
  bad["images"][0]["objects"][0]["box"] = {30, 20, 10, 80};
  Write(bad);
  ExpectRefused(path, path + ": images[0].objects[0].box: expected [x1, y1, x2, y2]");
  bad = manifest_;
  bad["images"][3]["objects"][0]["class"] = "vase";
  Write(bad);
  ExpectRefused(path, path + ": images[3].objects[0].class: unknown class 'vase'");
  bad = manifest_;
  bad["schema"] = 2;
  Write(bad);
  ExpectRefused(path, path + ": schema: expected 1, got 2");
  Write(manifest_);
  ExpectRefused(dir_.Path("none.json"), "none.json");
  ExpectRefused(path, "'cup'", {"--classes", "cup"});
  // The supplied edges asked for, and the manifest gives none: refused after the folder was
  // made, which is removed again.
  ExpectRefused(path, "scene0.png: the manifest gives it no edge map", {"--edges", "supplied"});
}

TEST_F(ShapesManifest, NoOutputReplacesAFileOfTheDataset) {
  // The manifest and an image in the output folder, named as two of the outputs.
  fs::copy_file(dir_.Path("scene0.png"), out_.Path("curves.png"));
  auto manifest = manifest_;  // its paths made absolute, as it is not beside the data
  for (auto& c : manifest["classes"]) c["model"] = dir_.Path(c["model"].get<std::string>());
  for (auto& i : manifest["images"]) i["path"] = dir_.Path(i["path"].get<std::string>());
  manifest["images"][0]["path"] = out_.Path("curves.png");
  std::ofstream(out_.Path("detections.json")) << manifest.dump();
  const auto run = RunCli({"bench", "shapes", "--manifest", out_.Path("detections.json"), "--out",
                           out_.path().string(), "--methods", "chamfer"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find("is the input"), std::string::npos) << run.err;
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"curves.png", "detections.json"}));
  EXPECT_EQ(*ReadFileToString(out_.Path("detections.json")), manifest.dump());
}

TEST_F(ShapesManifest, CocoManifestConvertsAndTheBenchRunsOnIt) {
  std::ofstream(dir_.Path("instances.json")) << R"({
    "images": [{"id": 1, "file_name": "scene0.png"}, {"id": 2, "file_name": "clutter.png"}],
    "categories": [{"id": 5, "name": "mug"}],
    "annotations": [{"image_id": 1, "category_id": 5, "bbox": [10, 10, 100, 120]}]})";
  const std::string out = dir_.Path("coco.json");
  const auto run =
      RunCli({"bench", "coco-manifest", "--annotations", dir_.Path("instances.json"), "--images",
              dir_.path().string(), "--models", "mug=" + dir_.Path("mug.json"), "--out", out});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("2 images (1 without objects of the classes), mug 1"), std::string::npos)
      << run.out;
  const auto manifest = nlohmann::json::parse(*ReadFileToString(out));
  EXPECT_EQ(manifest["images"][0]["objects"][0]["box"],
            nlohmann::json::parse("[10, 10, 110, 130]"));
  EXPECT_EQ(manifest["classes"][0]["model"], "mug.json");
  const auto bench = RunCli({"bench", "shapes", "--manifest", out, "--out", out_.path().string(),
                             "--methods", "chamfer", "--edges", "canny"});
  EXPECT_EQ(bench.exit_code, 0) << bench.err;
  // An unknown category: one line, no manifest written.
  const auto refused =
      RunCli({"bench", "coco-manifest", "--annotations", dir_.Path("instances.json"), "--images",
              dir_.path().string(), "--models", "cat=" + dir_.Path("mug.json"), "--out",
              dir_.Path("cats.json")});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_EQ(refused.ErrLines(), 1) << refused.err;
  EXPECT_NE(refused.err.find("no category 'cat'"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(dir_.Path("cats.json")));
}

}  // namespace
}  // namespace msrf
