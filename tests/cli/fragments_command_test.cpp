#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>

#include "cli/cli_support.h"
#include "msrf/io/file_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::RunCli;

class FragmentsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    ClutterSceneOptions o;
    o.seed = 5;
    o.size = {320, 240};
    image_ = in_.Path("scene.png");
    ASSERT_TRUE(cv::imwrite(image_, DrawClutterScene(o).image));
  }
  testing::TempDir in_;   // inputs
  testing::TempDir out_;  // outputs only: must stay empty after a refused run
  std::string image_;
};

TEST_F(FragmentsCommand, WritesJsonAndOverlay) {
  auto run = RunCli({"fragments", image_, "--levels", "3", "--out", out_.Path("f.json"),
                     "--overlay", out_.Path("f.png")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty());
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"f.json", "f.png"}));
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("f.json")));
  EXPECT_EQ(doc["schema"], 1);
  ASSERT_EQ(doc["levels"].size(), 3U);
  EXPECT_GT(doc["levels"][0]["fragments"].size(), 5U);
  EXPECT_TRUE(doc.contains("timing"));
  const cv::Mat overlay = cv::imread(out_.Path("f.png"));
  EXPECT_EQ(overlay.cols, 640);  // small images are drawn at twice their size
}

TEST_F(FragmentsCommand, GivesTheSameJsonForOneAndTwoThreads) {
  for (const char* threads : {"1", "2"}) {
    auto run = RunCli({"fragments", image_, "--threads", threads, "--no-timing", "--out",
                       out_.Path(std::string("t") + threads + ".json")});
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  EXPECT_EQ(*ReadFileToString(out_.Path("t1.json")), *ReadFileToString(out_.Path("t2.json")));
}

TEST_F(FragmentsCommand, UsesASuppliedEdgeMap) {
  cv::Mat edges = cv::Mat::zeros(240, 320, CV_8U);
  cv::rectangle(edges, {60, 60}, {200, 180}, cv::Scalar(200), 1);
  ASSERT_TRUE(cv::imwrite(in_.Path("edges.tif"), edges));
  auto run = RunCli({"fragments", image_, "--edges", in_.Path("edges.tif"), "--levels", "2",
                     "--out", out_.Path("f.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("f.json")));
  EXPECT_EQ(doc["options"]["edges"]["method"], "supplied");
  EXPECT_EQ(doc["levels"][0]["fragments"].size(), 4U);  // the rectangle's four sides
}

TEST_F(FragmentsCommand, ConfigFileAndDumpConfigAgree) {
  auto dump = RunCli({"fragments", "--dump-config", "--levels", "2", "--forest-scales", "1,2"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  std::ofstream(in_.Path("c.json")) << dump.out;
  auto again = RunCli({"fragments", "--config", in_.Path("c.json"), "--dump-config"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, dump.out);
  EXPECT_EQ(nlohmann::json::parse(dump.out)["pyramid"]["num_levels"], 2);
  EXPECT_EQ(nlohmann::json::parse(dump.out)["edges"]["forest_scales"],
            nlohmann::json::parse("[1.0, 2.0]"));
}

struct BadInput {
  std::string name;
  std::vector<std::string> args;  // IMAGE / OUT / DIR placeholders
  std::string words;              // must appear in the error line
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }

class FragmentsBadInput : public FragmentsCommand,
                          public ::testing::WithParamInterface<BadInput> {};

TEST_P(FragmentsBadInput, OneLineExitTwoAndNoOutput) {
  std::ofstream(in_.Path("text.jpg")) << "not an image";
  std::ofstream(in_.Path("empty.png")) << "";
  std::ofstream(in_.Path("bad.json")) << "{\"pyramid\": {\"num_levels\": 40}}";
  std::string png = *ReadFileToString(image_);
  std::ofstream(in_.Path("truncated.png"), std::ios::binary) << png.substr(0, png.size() / 3);
  ASSERT_TRUE(cv::imwrite(in_.Path("small_edges.png"), cv::Mat::zeros(100, 100, CV_8U)));

  auto run = RunCli(testing::ExpandArgs(GetParam().args, {{"IMAGE", image_}}, in_, out_));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(GetParam().words), std::string::npos) << run.err;
  EXPECT_TRUE(out_.Files().empty()) << "output written: " << out_.Files().front();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FragmentsBadInput,
    ::testing::Values(
        BadInput{"MissingImage",
                 {"fragments", "IN/nope.png", "--out", "OUT/f.json"},
                 "nope.png: no such file"},
        BadInput{"NotAnImage",
                 {"fragments", "IN/text.jpg", "--out", "OUT/f.json"},
                 "text.jpg: not an image"},
        BadInput{"EmptyFile",
                 {"fragments", "IN/empty.png", "--out", "OUT/f.json"},
                 "empty.png: empty file"},
        BadInput{"CorruptImage",
                 {"fragments", "IN/truncated.png", "--out", "OUT/f.json", "--overlay", "OUT/o.png"},
                 "truncated.png: not an image, or a corrupt one"},
        BadInput{"TooLarge",
                 {"fragments", "IMAGE", "--max-pixels", "1000", "--out", "OUT/f.json"},
                 "above the limit of 1000 pixels"},
        BadInput{"EdgeMapSize",
                 {"fragments", "IMAGE", "--edges", "IN/small_edges.png", "--out", "OUT/f.json"},
                 "edge map is 100x100 but the image is 320x240"},
        BadInput{"MissingEdgeMap",
                 {"fragments", "IMAGE", "--edges", "IN/nope.tif", "--out", "OUT/f.json"},
                 "--edges: "},
        BadInput{"LevelsOutOfRange",
                 {"fragments", "IMAGE", "--levels", "0", "--out", "OUT/f.json"},
                 "--levels"},
        BadInput{"ForestScalesTooMany",
                 {"fragments", "IMAGE", "--forest-scales", "1,1,1,1,1", "--out", "OUT/f.json"},
                 "--forest-scales must hold 1 to 4 numbers, got 5"},
        BadInput{"ScaleOutOfRange",
                 {"fragments", "IMAGE", "--scale", "0.5", "--out", "OUT/f.json"},
                 "--scale"},
        BadInput{"ScaleNotANumber",
                 {"fragments", "IMAGE", "--scale", "abc", "--out", "OUT/f.json"},
                 "--scale"},
        BadInput{"NegativeThreads",
                 {"fragments", "IMAGE", "--threads", "-1", "--out", "OUT/f.json"},
                 "--threads"},
        BadInput{"BadConfig",
                 {"fragments", "IMAGE", "--config", "IN/bad.json", "--out", "OUT/f.json"},
                 "bad.json: pyramid.num_levels must be in"},
        BadInput{"MissingOut", {"fragments", "IMAGE"}, "--out is required"},
        BadInput{
            "OutFolderMissing", {"fragments", "IMAGE", "--out", "OUT/no/f.json"}, "does not exist"},
        BadInput{"OverlayNotPng",
                 {"fragments", "IMAGE", "--out", "OUT/f.json", "--overlay", "OUT/o.jpg"},
                 "--overlay"},
        BadInput{"DetectorAndEdges",
                 {"fragments", "IMAGE", "--edges", "IN/small_edges.png", "--edge-detector", "canny",
                  "--out", "OUT/f.json"},
                 "excludes"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace msrf
