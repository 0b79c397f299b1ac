// msrf edges and msrf train-edges as a user runs them.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "cli/cli_support.h"

namespace msrf::testing {
namespace {

std::string WriteStep(const TempDir& dir) {
  cv::Mat image(80, 100, CV_8UC3, cv::Scalar(50, 60, 70));
  cv::rectangle(image, cv::Rect(50, 0, 50, 80), cv::Scalar(180, 190, 200), cv::FILLED);
  const std::string path = dir.Path("step.png");
  cv::imwrite(path, image);
  return path;
}

TEST(EdgesCommand, WritesTheThinnedMapAsAPngAPersonCanLookAt) {
  TempDir dir;
  const std::string image = WriteStep(dir);
  for (const std::string method : {"forest", "gradient"}) {
    SCOPED_TRACE(method);
    const std::string out = dir.Path(method + ".png");
    const CliRun run = RunCli({"edges", image, "--method", method, "--out", out});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const cv::Mat map = cv::imread(out, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(map.type(), CV_8UC1);
    ASSERT_EQ(map.size(), cv::Size(100, 80));
    // The step at x = 49.5: the brightest pixel of a middle row is beside it, and the thinned
    // row holds a single ridge there.
    cv::Point at;
    cv::minMaxLoc(map.row(40), nullptr, nullptr, nullptr, &at);
    EXPECT_NEAR(at.x, 49.5, 2.0);
    EXPECT_LE(cv::countNonZero(map.row(40).colRange(40, 60)), 2);
  }
}

TEST(EdgesCommand, RawAndSixteenBitMapsAreWhatTheyAskFor) {
  TempDir dir;
  const std::string image = WriteStep(dir);
  ASSERT_EQ(RunCli({"edges", image, "--out", dir.Path("thin.png")}).exit_code, 0);
  ASSERT_EQ(RunCli({"edges", image, "--raw", "--out", dir.Path("raw.png")}).exit_code, 0);
  ASSERT_EQ(RunCli({"edges", image, "--16bit", "--out", dir.Path("deep.png")}).exit_code, 0);
  ASSERT_EQ(RunCli({"edges", image, "--scales", "1", "--out", dir.Path("one.png")}).exit_code, 0);
  const cv::Mat thin = cv::imread(dir.Path("thin.png"), cv::IMREAD_UNCHANGED);
  const cv::Mat raw = cv::imread(dir.Path("raw.png"), cv::IMREAD_UNCHANGED);
  const cv::Mat deep = cv::imread(dir.Path("deep.png"), cv::IMREAD_UNCHANGED);
  EXPECT_GT(cv::countNonZero(raw), 2 * cv::countNonZero(thin)) << "the raw map is wider";
  ASSERT_EQ(deep.type(), CV_16UC1);
  cv::Mat deep8;
  deep.convertTo(deep8, CV_8U, 1.0 / 257.0);
  EXPECT_LE(cv::norm(deep8, thin, cv::NORM_INF), 1.0);
  // One scale is another map of the same step.
  const cv::Mat one = cv::imread(dir.Path("one.png"), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(one.size(), thin.size());
  EXPECT_GT(cv::norm(one, thin, cv::NORM_INF), 0.0);
  cv::Point at;
  cv::minMaxLoc(one.row(40), nullptr, nullptr, nullptr, &at);
  EXPECT_NEAR(at.x, 49.5, 2.0);
}

TEST(EdgesCommand, BadInputIsOneLineAndExitCodeTwoWithNothingWritten) {
  TempDir dir;
  const std::string image = WriteStep(dir);
  std::ofstream(dir.Path("not_an_image.png")) << "text";
  std::ofstream(dir.Path("not_a_forest.bin")) << "text";
  const std::vector<std::vector<std::string>> cases = {
      {"edges", dir.Path("missing.png"), "--out", dir.Path("o1.png")},
      {"edges", dir.Path("not_an_image.png"), "--out", dir.Path("o2.png")},
      {"edges", image, "--method", "sobel", "--out", dir.Path("o3.png")},
      {"edges", image, "--forest", dir.Path("not_a_forest.bin"), "--out", dir.Path("o4.png")},
      {"edges", image, "--out", dir.Path("no/such/folder/o5.png")},
      {"edges", image, "--scales", "1,9", "--out", dir.Path("o6.png")},
      {"edges", image, "--scales", "0.5,1,1,2,2", "--out", dir.Path("o7.png")},
  };
  for (const auto& args : cases) {
    SCOPED_TRACE(args[1] + " " + args[2]);
    const CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
  }
  for (const std::string& f : dir.Files()) EXPECT_EQ(f.rfind("o", 0), std::string::npos) << f;
}

TEST(TrainEdgesCommand, TrainsAForestThatEdgesThenUses) {
  TempDir data, out;
  WriteTinyBsds(data.path(), "train", 6);
  const std::string forest = out.Path("forest.bin");
  const CliRun train = RunCli({"train-edges", "--root", data.path().string(), "--out", forest,
                               "--trees", "2", "--trees-per-position", "2", "--samples", "3000"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_NE(train.out.find("forest: 2 trees"), std::string::npos) << train.out;
  const std::string image = WriteStep(out);
  const CliRun edges = RunCli({"edges", image, "--forest", forest, "--out", out.Path("map.png")});
  ASSERT_EQ(edges.exit_code, 0) << edges.err;
  const cv::Mat map = cv::imread(out.Path("map.png"), cv::IMREAD_UNCHANGED);
  cv::Point at;
  cv::minMaxLoc(map.row(40), nullptr, nullptr, nullptr, &at);
  EXPECT_NEAR(at.x, 49.5, 3.0) << "a forest trained on bright shapes finds the step";
}

TEST(TrainEdgesCommand, RefusesAFolderWithoutSegmentations) {
  TempDir data, out;
  WriteTinyBsds(data.path(), "train", 2);
  for (const auto& entry : std::filesystem::directory_iterator(data.path() / "train")) {
    if (entry.path().string().find("_seg") != std::string::npos) std::filesystem::remove(entry);
  }
  const CliRun run =
      RunCli({"train-edges", "--root", data.path().string(), "--out", out.Path("f.bin")});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find("_seg0.png"), std::string::npos) << run.err;
  EXPECT_TRUE(out.Files().empty());
}

}  // namespace
}  // namespace msrf::testing
