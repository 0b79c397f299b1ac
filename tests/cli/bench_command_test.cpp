// `msrf bench ethz` on a tiny dataset with the ETHZ layout, made by the test.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>

#include "cli/cli_support.h"
#include "msrf/eval/ethz.h"
#include "msrf/io/file_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"
#include "support/unreadable.h"

namespace msrf {
namespace {

using testing::RunCli;
namespace fs = std::filesystem;

// Two classes, three images each: a mug-like and a swan-like outline drawn into clutter,
// with ground truth, "Berkeley" edge maps (a blurred Canny map) and outline-drawing models.
class TinyEthz : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<cv::Point2d> mug = {{0, 0},   {60, 0},  {60, 20}, {80, 20},
                                          {80, 60}, {60, 60}, {60, 90}, {0, 90}};
    std::vector<cv::Point2d> swan;
    for (int k = 0; k < 60; ++k) {
      const double a = 2 * CV_PI * k / 60;
      swan.emplace_back(
          50 + 50 * std::cos(a),
          30 + 22 * std::sin(a) + (std::cos(a) > 0.6 ? -30 * (std::cos(a) - 0.6) : 0));
    }
    MakeClass("Mugs", "mugs", "mug", mug);
    MakeClass("Swans", "swans", "swan", swan);
  }

  void MakeClass(const std::string& folder, const std::string& klass, const std::string& model,
                 const std::vector<cv::Point2d>& outline) {
    fs::create_directories(root_.path() / folder);
    fs::create_directories(root_.path() / "models");
    cv::Mat drawing(120, 120, CV_8U, cv::Scalar(255));
    std::vector<cv::Point2d> placed;
    for (const cv::Point2d& p : outline) placed.push_back(p + cv::Point2d(10, 10));
    DrawPolyline(drawing, placed, true, 0, 2);
    ASSERT_TRUE(cv::imwrite((root_.path() / "models" / (model + ".tif")).string(), drawing));
    for (int i = 0; i < 3; ++i) {
      TargetSceneOptions o;
      o.seed = static_cast<uint64_t>(100 * klass.size() + i);
      o.size = {320, 240};
      o.base_size = 90;
      o.num_breaks = 1;
      o.occlusion = 0.0;
      const TargetScene scene = DrawTargetScene(outline, o);
      const std::string stem = (root_.path() / folder / ("img" + std::to_string(i))).string();
      ASSERT_TRUE(cv::imwrite(stem + ".jpg", scene.image));
      cv::Mat edges;
      cv::Canny(scene.image, edges, 40, 100);
      cv::GaussianBlur(edges, edges, cv::Size(3, 3), 0.7);
      ASSERT_TRUE(cv::imwrite(stem + "_edges.tif", edges));
      std::ofstream(stem + "_" + klass + ".groundtruth")
          << scene.box.x << " " << scene.box.y << " " << scene.box.x + scene.box.width << " "
          << scene.box.y + scene.box.height << "\n";
    }
  }

  testing::TempDir root_;
  testing::TempDir out_;
};

TEST_F(TinyEthz, ReadsTheLayout) {
  auto data = ReadEthzDataset(root_.path().string());
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->classes, (std::vector<std::string>{"mugs", "swans"}));
  ASSERT_EQ(data->images.size(), 6U);
  for (const DatasetImage& e : data->images) {
    EXPECT_EQ(e.objects.size(), 1U);
    EXPECT_FALSE(e.edges_path.empty());
  }
  auto only = ReadEthzDataset(root_.path().string(), {"swans"});
  ASSERT_TRUE(only.ok());
  EXPECT_EQ(only->classes, std::vector<std::string>{"swans"});
  EXPECT_EQ(only->images.size(), 6U);  // mugs stay as negatives
  EXPECT_FALSE(ReadEthzDataset(root_.path().string(), {"cars"}).ok());
}

TEST_F(TinyEthz, BenchWritesSummaryDetectionsAndCurves) {
  auto run = RunCli({"bench", "ethz", "--root", root_.path().string(), "--out",
                     out_.path().string(), "--methods", "msrf,ghough,chamfer"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("msrf     pascal"), std::string::npos) << run.out;
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"contours.png", "curves.png", "detections.json",
                                                    "summary.json"}));
  EXPECT_NE(run.out.find("recall ceiling"), std::string::npos) << run.out;
  const auto summary = nlohmann::json::parse(*ReadFileToString(out_.Path("summary.json")));
  EXPECT_EQ(summary["schema"], 1);
  EXPECT_EQ(summary["images"], 6);
  ASSERT_EQ(summary["methods"].size(), 3U);
  for (const auto& method : summary["methods"]) {
    EXPECT_TRUE(method["recall_ceiling"].contains("mean")) << method["name"];
  }
  const auto& msrf = summary["methods"][0];
  EXPECT_EQ(msrf["name"], "msrf");
  EXPECT_GT(msrf["seconds_per_image_model"].get<double>(), 0.0);
  for (const char* criterion : {"pascal", "iou20"}) {
    for (const char* fppi : {"0.3", "0.4"}) {
      const auto& at = msrf["dr"][criterion][fppi];
      for (const char* key : {"mugs", "swans", "mean"}) {
        ASSERT_TRUE(at.contains(key)) << criterion << " " << fppi << " " << key;
        EXPECT_GE(at[key].get<double>(), 0.0);
        EXPECT_LE(at[key].get<double>(), 1.0);
      }
    }
  }
  // Easy scenes: msrf finds most objects at 0.4 FPPI.
  EXPECT_GE(msrf["dr"]["pascal"]["0.4"]["mean"].get<double>(), 0.5);
  const auto detections = nlohmann::json::parse(*ReadFileToString(out_.Path("detections.json")));
  EXPECT_EQ(detections["images"].size(), 6U);
  EXPECT_EQ(detections["methods"].size(), 3U);
  EXPECT_FALSE(cv::imread(out_.Path("curves.png")).empty());
  EXPECT_FALSE(cv::imread(out_.Path("contours.png")).empty());
}

TEST_F(TinyEthz, BenchRefusesBadArguments) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"bench", "ethz", "--root", (root_.path() / "nope").string(), "--out",
            out_.path().string()},
           {"bench", "ethz", "--root", root_.path().string(), "--out", out_.path().string(),
            "--methods", "sift"},
           {"bench", "ethz", "--root", root_.path().string(), "--out", out_.path().string(),
            "--classes", "cars"}}) {
    auto run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
  }
  EXPECT_TRUE(out_.Files().empty());
}

// A bench that is refused before any work: exit 2, one line that contains `says`, nothing
// written.
void ExpectRefused(const std::vector<std::string>& args, const testing::TempDir& out,
                   const std::string& says) {
  const auto run = RunCli(args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
  EXPECT_TRUE(out.Files().empty());
}

TEST_F(TinyEthz, BenchRefusesAClassFolderThatIsALoopOfSymbolicLinks) {
  fs::create_directory_symlink(root_.path() / "Giraffes", root_.path() / "Giraffes");
  ExpectRefused({"bench", "ethz", "--root", root_.path().string(), "--out", out_.Path("results"),
                 "--methods", "chamfer"},
                out_, (root_.path() / "Giraffes").string());
}

TEST_F(TinyEthz, BenchRunsBesideALoopOfSymbolicLinksThatIsNoClassFolder) {
  fs::create_directory_symlink(root_.path() / "loop", root_.path() / "loop");
  auto run = RunCli({"bench", "ethz", "--root", root_.path().string(), "--out",
                     out_.path().string(), "--methods", "chamfer", "--classes", "mugs"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

TEST_F(TinyEthz, BenchRefusesAClassFolderItCannotList) {
  const fs::path mugs = root_.path() / "Mugs";
  fs::permissions(mugs, fs::perms::none);
  {
    const testing::WithoutFileAccessOverride as_a_user;
    if (testing::CanList(mugs)) {
      fs::permissions(mugs, fs::perms::owner_all);
      GTEST_SKIP() << "this process can list a folder of mode 000 (root with capabilities "
                      "it could not drop)";
    }
    ExpectRefused({"bench", "ethz", "--root", root_.path().string(), "--out", out_.Path("results"),
                   "--methods", "chamfer"},
                  out_, mugs.string() + ": cannot read");
  }
  fs::permissions(mugs, fs::perms::owner_all);
}

TEST_F(TinyEthz, BenchRefusesARootThatIsNotUtf8BeforeAnyWork) {
  const fs::path link = out_.path() / "root\xFF";
  fs::create_directory_symlink(root_.path(), link);
  testing::TempDir results;
  ExpectRefused({"bench", "ethz", "--root", link.string(), "--out", results.path().string(),
                 "--methods", "chamfer"},
                results, "not valid UTF-8");
}

TEST_F(TinyEthz, BenchRefusesAnImageNameThatIsNotUtf8BeforeAnyWork) {
  fs::copy_file(root_.path() / "Mugs" / "img0.jpg", root_.path() / "Mugs" / "caf\xE9.jpg");
  ExpectRefused({"bench", "ethz", "--root", root_.path().string(), "--out", out_.path().string(),
                 "--methods", "chamfer"},
                out_, "caf\\xE9.jpg: the name is not valid UTF-8");
}

// One output that cannot be written stops the bench before the work: no other output is
// left behind without it.
TEST_F(TinyEthz, BenchWritesItsOutputsAllOrNone) {
  fs::create_directories(out_.path() / "curves.png");
  const auto run = RunCli({"bench", "ethz", "--root", root_.path().string(), "--out",
                           out_.path().string(), "--methods", "chamfer"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find("curves.png"), std::string::npos) << run.err;
  EXPECT_EQ(out_.Files(), std::vector<std::string>{"curves.png"});
  EXPECT_TRUE(fs::is_directory(out_.path() / "curves.png"));
}

}  // namespace
}  // namespace msrf
