// COCO box annotations to a manifest, on a tiny hand-written instances file.
#include "msrf/eval/coco.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "msrf/eval/manifest.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

// Three images; cats, dogs and a bird; image 2 holds a dog and a crowd of cats, image 3 only
// the bird.
constexpr const char* kInstances = R"({
  "images": [{"id": 7, "file_name": "one.jpg", "width": 100, "height": 80},
             {"id": 8, "file_name": "two.jpg"}, {"id": 9, "file_name": "three.jpg"}],
  "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}, {"id": 3, "name": "bird"}],
  "annotations": [
    {"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 20, 30, 40], "iscrowd": 0},
    {"id": 2, "image_id": 8, "category_id": 2, "bbox": [0.5, 1, 2, 3]},
    {"id": 3, "image_id": 8, "category_id": 1, "bbox": [0, 0, 50, 50], "iscrowd": 1},
    {"id": 4, "image_id": 9, "category_id": 3, "bbox": [1, 1, 5, 5]},
    {"id": 5, "image_id": 7, "category_id": 1, "bbox": [50, 5, 10, 10]}]})";

class Coco : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "coco" / "val");
    for (const char* name : {"one.jpg", "two.jpg", "three.jpg"}) {
      std::ofstream(dir_.path() / "coco" / "val" / name) << "bytes";
    }
    std::ofstream(dir_.Path("cat.png")) << "a drawing";
    std::ofstream(dir_.Path("dog.json")) << "a model";
    options_.annotations = dir_.Path("coco/instances.json");
    options_.images = dir_.Path("coco/val");
    options_.models = {{"cat", dir_.Path("cat.png")}, {"dog", dir_.Path("dog.json")}};
    options_.out = dir_.Path("sets/pets.json");
    fs::create_directories(dir_.path() / "sets");
  }

  std::string Error(const std::string& text) {
    Result<std::string> manifest = CocoToManifest(text, options_);
    EXPECT_FALSE(manifest.ok());
    return manifest.ok() ? std::string() : manifest.status().message();
  }

  testing::TempDir dir_;
  CocoManifestOptions options_;
};

TEST_F(Coco, MakesAManifestOfTheClassesGivenModels) {
  CocoManifestSummary summary;
  Result<std::string> text = CocoToManifest(kInstances, options_, &summary);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  const auto manifest = nlohmann::json::parse(*text);
  EXPECT_EQ(manifest["schema"], 1);
  EXPECT_EQ(manifest["name"], "instances");
  EXPECT_EQ(manifest["classes"], nlohmann::json::parse(R"([{"name": "cat", "model": "../cat.png"},
                                                         {"name": "dog", "model": "../dog.json"}])"));
  ASSERT_EQ(manifest["images"].size(), 3U);
  const auto& one = manifest["images"][0];
  EXPECT_EQ(one["path"], "../coco/val/one.jpg");
  // [x, y, w, h] becomes [x1, y1, x2, y2].
  EXPECT_EQ(one["objects"], nlohmann::json::parse(R"([{"class": "cat", "box": [10, 20, 40, 60]},
                                                    {"class": "cat", "box": [50, 5, 60, 15]}])"));
  // The crowd of cats is left out; the bird is no class: image 3 is a negative.
  EXPECT_EQ(manifest["images"][1]["objects"],
            nlohmann::json::parse(R"([{"class": "dog", "box": [0.5, 1, 2.5, 4]}])"));
  EXPECT_FALSE(manifest["images"][2].contains("objects"));
  EXPECT_EQ(summary.images, 3U);
  EXPECT_EQ(summary.negatives, 1U);
  EXPECT_EQ(summary.objects.at("cat"), 2U);
  EXPECT_EQ(summary.objects.at("dog"), 1U);
  EXPECT_EQ(summary.crowd_skipped, 1U);
  // The manifest reads back as the benchmark's dataset.
  Result<ShapeDataset> data = ParseShapeManifest(*text, options_.out);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->classes, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(data->images[0].Boxes("cat").size(), 2U);
  EXPECT_EQ(data->images[1].group, "dog");
}

TEST_F(Coco, MistakesAreOneLineNamingTheFileAndField) {
  const std::string file = options_.annotations + ": ";
  std::string text = kInstances;
  text.replace(text.find("[10, 20, 30, 40]"), 16, "[10, 20, 0, 40]");
  EXPECT_EQ(Error(text),
            file + "annotations[0].bbox: expected [x, y, width, height] with width, height > 0");
  text = kInstances;
  text.replace(text.find("\"id\": 2, \"image_id\": 8"), 22, "\"id\": 2, \"image_id\": 4");
  EXPECT_EQ(Error(text), file + "annotations[1].image_id: no image with id 4");
  text = kInstances;
  text.replace(text.find("three.jpg"), 9, "four.jpg");
  EXPECT_EQ(Error(text).rfind(file + "images[2].file_name: ", 0), 0U);
  EXPECT_EQ(Error(R"({"images": [], "categories": []})"), file + "annotations: missing");
  options_.models.emplace_back("horse", dir_.Path("cat.png"));
  EXPECT_EQ(Error(kInstances), "--models horse: no category 'horse' in " + options_.annotations);
}

}  // namespace
}  // namespace msrf
