// Reading a dataset manifest: a good one becomes the dataset the benchmark runs on, and each
// kind of mistake is one message naming the manifest and the field.
#include "msrf/eval/manifest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

class Manifest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_.path() / "images");
    fs::create_directories(dir_.path() / "models");
    for (const char* name : {"images/a.png", "images/b.png", "images/c.png", "images/a-edges.png",
                             "images/a-0.png", "models/square.json", "models/disc.png"}) {
      std::ofstream(dir_.path() / name) << "bytes";
    }
  }

  // `images` and `classes` spliced into a schema-1 manifest.
  std::string Text(const std::string& images,
                   const std::string& classes =
                       R"([{"name": "square", "model": "models/square.json"},
                           {"name": "disc", "model": "models/disc.png"}])") const {
    return R"({"schema": 1, "classes": )" + classes + R"(, "images": )" + images + "}";
  }

  Result<ShapeDataset> Parse(const std::string& text,
                             const std::vector<std::string>& classes = {}) const {
    return ParseShapeManifest(text, ManifestPath(), classes);
  }

  std::string ManifestPath() const { return dir_.Path("set.json"); }

  // The error of `text`: InvalidArgument, one line, starting with the manifest and `field`.
  void ExpectError(const std::string& text, const std::string& field, const std::string& says) {
    const Result<ShapeDataset> data = Parse(text);
    ASSERT_FALSE(data.ok()) << text;
    EXPECT_EQ(data.status().code(), StatusCode::kInvalidArgument);
    const std::string& message = data.status().message();
    EXPECT_EQ(message.rfind(ManifestPath() + ": " + field + ": ", 0), 0U) << message;
    EXPECT_NE(message.find(says), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }

  testing::TempDir dir_;
};

TEST_F(Manifest, ReadsImagesObjectsAndModelsRelativeToItsFolder) {
  const Result<ShapeDataset> data = Parse(Text(R"([
      {"path": "images/a.png", "edges": "images/a-edges.png",
       "objects": [{"class": "disc", "box": [1, 2, 11, 22], "outline": "images/a-0.png"},
                   {"class": "square", "box": [30, 30, 40, 45.5]}]},
      {"path": "images/b.png"},
      {"path": "images/c.png", "objects": [{"class": "square", "box": [0, 0, 5, 5],
                                            "mask": "images/a-0.png"}]}])"));
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_TRUE(data->is_manifest);
  EXPECT_EQ(data->name, "set");
  EXPECT_EQ(data->root, ManifestPath());
  EXPECT_EQ(data->classes, (std::vector<std::string>{"square", "disc"}));
  EXPECT_EQ(data->model_paths.at("disc"), dir_.Path("models/disc.png"));
  ASSERT_EQ(data->images.size(), 3U);
  const DatasetImage& a = data->images[0];
  EXPECT_EQ(a.name, "images/a.png");
  EXPECT_EQ(a.image_path, dir_.Path("images/a.png"));
  EXPECT_EQ(a.edges_path, dir_.Path("images/a-edges.png"));
  EXPECT_EQ(a.group, "disc");  // its first object's class
  ASSERT_EQ(a.objects.size(), 2U);
  EXPECT_EQ(a.objects[0].box, cv::Rect2d(1, 2, 10, 20));
  EXPECT_EQ(a.objects[0].outline_path, dir_.Path("images/a-0.png"));
  EXPECT_EQ(a.objects[1].box, cv::Rect2d(30, 30, 10, 15.5));
  EXPECT_EQ(a.Boxes("square"), std::vector<cv::Rect2d>{cv::Rect2d(30, 30, 10, 15.5)});
  EXPECT_TRUE(data->images[1].objects.empty());
  EXPECT_EQ(data->images[1].group, "");  // a negative for every class
  EXPECT_EQ(data->images[2].objects[0].mask_path, dir_.Path("images/a-0.png"));
}

TEST_F(Manifest, ClassesLimitWhichModelsRunButKeepEveryObject) {
  const std::string text =
      Text(R"([{"path": "images/a.png", "objects": [{"class": "square", "box": [0, 0, 4, 4]}]}])");
  const Result<ShapeDataset> disc = Parse(text, {"disc"});
  ASSERT_TRUE(disc.ok()) << disc.status().ToString();
  EXPECT_EQ(disc->classes, std::vector<std::string>{"disc"});
  EXPECT_EQ(disc->images[0].objects.size(), 1U);
  const Result<ShapeDataset> cars = Parse(text, {"cars"});
  ASSERT_FALSE(cars.ok());
  EXPECT_NE(cars.status().message().find("'cars'"), std::string::npos);
}

TEST_F(Manifest, AMissingImageNamesTheField) {
  ExpectError(Text(R"([{"path": "images/a.png"}, {"path": "images/nope.png"}])"), "images[1].path",
              "nope.png");
}

TEST_F(Manifest, ABadBoxNamesTheObject) {
  for (const std::string box :
       {"[10, 0, 5, 5]", "[0, 0, 5]", "[0, 0, \"5\", 5]", "[0, 0, 5, 0]", "{\"x\": 1}"}) {
    ExpectError(Text(R"([{"path": "images/a.png"}, {"path": "images/b.png", "objects": [
                           {"class": "disc", "box": [0, 0, 1, 1]}, {"class": "disc", "box": )" +
                     box + "}]}]"),
                "images[1].objects[1].box", "x1 < x2");
  }
  ExpectError(Text(R"([{"path": "images/a.png", "objects": [{"class": "disc"}]}])"),
              "images[0].objects[0].box", "missing");
}

TEST_F(Manifest, AnUnknownClassNamesTheObjectAndTheClasses) {
  ExpectError(
      Text(R"([{"path": "images/a.png", "objects": [{"class": "cone", "box": [0, 0, 1, 1]}]}])"),
      "images[0].objects[0].class", "unknown class 'cone' (classes: square, disc)");
}

TEST_F(Manifest, AWrongOrMissingSchemaIsRefused) {
  const Result<ShapeDataset> two = Parse(R"({"schema": 2, "classes": [], "images": []})");
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.status().message(), ManifestPath() + ": schema: expected 1, got 2");
  const Result<ShapeDataset> none = Parse(R"({"classes": [], "images": []})");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(), ManifestPath() + ": schema: missing (expected 1)");
}

TEST_F(Manifest, OtherMistakesNameTheirField) {
  ExpectError(Text(R"([{"path": "images/a.png", "object": []}])"), "images[0].object",
              "unknown key");
  ExpectError(Text(R"([{"path": "images/a.png"}])",
                   R"([{"name": "disc", "model": "models/disc.png"},
                       {"name": "disc", "model": "models/disc.png"}])"),
              "classes[1].name", "given twice");
  ExpectError(
      Text(R"([{"path": "images/a.png"}])", R"([{"name": "mean", "model": "models/disc.png"}])"),
      "classes[0].name", "rename it");
  ExpectError(
      Text(R"([{"path": "images/a.png"}])", R"([{"name": "cone", "model": "models/cone.json"}])"),
      "classes[0].model", "cone.json");
  ExpectError(Text(R"([{"path": "images/a.png"}, {"path": "images/./a.png"}])"), "images[1].path",
              "listed twice");
  ExpectError(Text("[]"), "images", "non-empty");
  ExpectError(Text(R"([{"path": "images/a.png", "edges": "images/none.png"}])"), "images[0].edges",
              "none.png");
  ExpectError(Text(R"([{"path": "images/a.png", "objects": [{"class": "disc", "box": [0, 0, 1, 1],
                         "outline": "images/a-0.png", "mask": "images/a-0.png"}]}])"),
              "images[0].objects[0]", "not both");
  const Result<ShapeDataset> broken = Parse("{\"schema\": 1,");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message().rfind(ManifestPath() + ": not valid JSON", 0), 0U)
      << broken.status().message();
}

TEST_F(Manifest, ReadsTheFileItNames) {
  std::ofstream(ManifestPath()) << Text(R"([{"path": "images/a.png"}])");
  const Result<ShapeDataset> data = ReadShapeManifest(ManifestPath());
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->images.size(), 1U);
  EXPECT_EQ(ReadShapeManifest(dir_.Path("none.json")).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace msrf
