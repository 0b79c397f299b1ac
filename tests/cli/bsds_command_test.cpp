// `msrf bench bsds` on a tiny dataset with the BSDS500 layout, made by the test.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>

#include "cli/cli_support.h"
#include "msrf/io/file_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::RunCli;
namespace fs = std::filesystem;

class TinyBsdsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ids_ = testing::WriteTinyBsds(root_.path(), "val", 3);
    // Precomputed maps: annotator 0's, 8-bit.
    fs::create_directories(maps_);
    for (const std::string& id : ids_) {
      fs::copy_file(root_.path() / "val" / (id + "_gt0.png"), maps_ / (id + ".png"));
    }
  }

  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> args = {
        "bench", "bsds", "--root", root_.path().string(), "--out", out_.Path("results")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  testing::TempDir root_;
  testing::TempDir out_;
  fs::path maps_ = root_.path() / "maps";
  std::vector<std::string> ids_;
};

TEST_F(TinyBsdsCli, WritesTheSummaryThePlotAndTheTable) {
  const auto run = RunCli(Args(
      {"--methods", "gradient,human", "--maps", "annotator0=" + maps_.string(), "--threads", "2"}));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.err.empty()) << run.err;  // no progress bar off a terminal
  EXPECT_NE(run.out.find("gradient"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("annotator0"), std::string::npos) << run.out;
  const fs::path results = out_.path() / "results";
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(results)) files.push_back(e.path().filename());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"pr.png", "summary.json", "table.txt"}));

  const auto summary =
      nlohmann::json::parse(*ReadFileToString((results / "summary.json").string()));
  EXPECT_EQ(summary["schema"], 1);
  EXPECT_EQ(summary["split"], "val");
  EXPECT_EQ(summary["images"], 3);
  EXPECT_DOUBLE_EQ(summary["max_distance_ratio"].get<double>(), 0.0075);
  ASSERT_EQ(summary["methods"].size(), 3U);
  const auto& gradient = summary["methods"][0];
  EXPECT_EQ(gradient["name"], "gradient");
  EXPECT_EQ(gradient["images"], 3);
  EXPECT_EQ(gradient["curve"].size(), 99U);
  for (const char* key : {"threshold", "recall", "precision", "f"}) {
    EXPECT_TRUE(gradient["ods"].contains(key)) << key;
  }
  for (const char* key : {"recall", "precision", "f"}) EXPECT_TRUE(gradient["ois"].contains(key));
  EXPECT_GT(gradient["ods"]["f"].get<double>(), 0.8);
  EXPECT_GT(gradient["ap"].get<double>(), 0.5);
  EXPECT_EQ(summary["methods"][1]["name"], "human");
  EXPECT_EQ(summary["methods"][2]["name"], "annotator0");
  EXPECT_GT(summary["methods"][2]["ods"]["f"].get<double>(), 0.9);

  EXPECT_EQ(testing::ReadFileBytes((results / "table.txt").string()),
            run.out.substr(0, run.out.find("wall time")));
  const cv::Mat plot = cv::imread((results / "pr.png").string());
  EXPECT_FALSE(plot.empty());
}

// A bench refused before any work: exit 2, one line that contains `says`, nothing written.
void ExpectBsdsRefused(const std::vector<std::string>& args, const testing::TempDir& out,
                       const std::string& says) {
  const auto run = RunCli(args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(says), std::string::npos) << run.err;
  EXPECT_TRUE(out.Files().empty()) << "something was written";
}

TEST_F(TinyBsdsCli, RefusesBadInputWithOneLineAndNoOutput) {
  const std::string maps = maps_.string();
  ExpectBsdsRefused({"bench", "bsds", "--root", (root_.path() / "none").string(), "--out",
                     out_.Path("results"), "--methods", "gradient"},
                    out_, "--root");
  ExpectBsdsRefused(Args({"--split", "holdout", "--methods", "gradient"}), out_, "--split");
  ExpectBsdsRefused(Args({"--split", "train", "--methods", "gradient"}), out_, "train");
  ExpectBsdsRefused(Args({"--methods", "sobel"}), out_, "unknown method 'sobel'");
  ExpectBsdsRefused(Args({"--methods", "gradient,gradient"}), out_, "given twice");
  ExpectBsdsRefused(Args({"--methods", "gradient", "--maps", maps}), out_, "NAME=FOLDER");
  ExpectBsdsRefused(Args({"--methods", "gradient", "--maps", "=" + maps}), out_, "NAME=FOLDER");
  ExpectBsdsRefused(Args({"--methods", "gradient", "--maps", "a b=" + maps}), out_,
                    "NAME may hold");
  ExpectBsdsRefused(Args({"--methods", "gradient", "--maps", "gradient=" + maps}), out_,
                    "given twice");
  ExpectBsdsRefused(Args({"--methods", "", "--maps", "x=" + (root_.path() / "nomaps").string()}),
                    out_, "nomaps: no such folder");
  ExpectBsdsRefused(Args({"--methods", ""}), out_, "--methods is empty");

  fs::remove(maps_ / (ids_[1] + ".png"));
  ExpectBsdsRefused(Args({"--methods", "", "--maps", "x=" + maps}), out_, ids_[1] + ".png");
  ASSERT_TRUE(cv::imwrite((maps_ / (ids_[1] + ".png")).string(), cv::Mat::zeros(8, 8, CV_8U)));
  ExpectBsdsRefused(Args({"--methods", "", "--maps", "x=" + maps}), out_,
                    ids_[1] + ".png: the map is 8x8 but the image is");
}

TEST_F(TinyBsdsCli, RefusesADatasetWithAnUnreadableMapBeforeAnyWork) {
  std::ofstream(root_.path() / "val" / (ids_[0] + "_gt1.png"), std::ios::trunc) << "garbage";
  ExpectBsdsRefused(Args({"--methods", "gradient"}), out_, ids_[0] + "_gt1.png");
}

// A map whose header is sound but whose data are not fails during the run: one line, and
// the output folder the run made is gone again.
TEST_F(TinyBsdsCli, LeavesNoOutputWhenAMapFailsToDecode) {
  std::string bytes = testing::ReadFileBytes((maps_ / (ids_[2] + ".png")).string());
  bytes.resize(bytes.size() / 2);
  std::ofstream(maps_ / (ids_[2] + ".png"), std::ios::binary | std::ios::trunc) << bytes;
  const auto run = RunCli(Args({"--methods", "", "--maps", "x=" + maps_.string()}));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(ids_[2] + ".png"), std::string::npos) << run.err;
  EXPECT_TRUE(out_.Files().empty());
}

}  // namespace
}  // namespace msrf
