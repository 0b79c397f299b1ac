// Hostile input files given to `msrf model`, `msrf detect --model` and `msrf fragments
// --config`: one error line naming the file, exit code 2, nothing written, never a hang.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "cli/cli_support.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::kVase;
using testing::RunCli;

struct BadFile {
  std::string name;  // the test's name
  std::string file;  // written into the input folder (a FIFO when contents is "FIFO")
  std::string contents;
  std::string words;  // must appear in the error line, beside the file's name
};

void PrintTo(const BadFile& b, std::ostream* os) { *os << b.name; }
std::string CaseName(const ::testing::TestParamInfo<BadFile>& p) { return p.param.name; }

class BadInputFile : public ::testing::TestWithParam<BadFile> {
 protected:
  void SetUp() override {
    const BadFile& b = GetParam();
    path_ = in_.Path(b.file);
    if (b.contents == "FIFO") {
      ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
    } else {
      std::ofstream(path_, std::ios::binary) << b.contents;
    }
    image_ = in_.Path("scene.png");
    ASSERT_TRUE(cv::imwrite(image_, cv::Mat(60, 80, CV_8UC3, cv::Scalar(200, 200, 200))));
  }

  void Check(const std::vector<std::string>& args, const std::string& named) {
    const testing::CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
    EXPECT_NE(run.err.find(named), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(GetParam().words), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
    EXPECT_TRUE(out_.Files().empty()) << "output written: " << out_.Files().front();
  }

  testing::TempDir in_;
  testing::TempDir out_;
  std::string path_;
  std::string image_;
};

class BadModelFile : public BadInputFile {};
class BadConfigFile : public BadInputFile {};

TEST_P(BadModelFile, IsRefusedByMsrfModel) {
  Check({"model", path_, "--out", out_.Path("m.json"), "--preview", out_.Path("m.png")}, path_);
}

TEST_P(BadModelFile, IsRefusedByMsrfDetect) {
  Check({"detect", image_, "--model", path_, "--out", out_.Path("d.json")}, path_);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadModelFile,
    ::testing::Values(
        BadFile{"OverflowingNumber", "m.json", R"({"polygon": [[0, 0], [1e999, 0], [0, 9]]})",
                "number out of range"},
        BadFile{"HundredDigitInteger", "m.json",
                R"({"polygon": [[0, 0], [)" + std::string(400, '7') + R"(, 0], [0, 9]]})",
                "number out of range"},
        BadFile{"HugeCoordinates", "m.json", R"({"polygon": [[0, 0], [1e200, 0], [0, 1e200]]})",
                "outside [-1e6, 1e6]"},
        BadFile{"TinySquare", "m.json",
                R"({"polygon": [[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001]]})",
                "smaller than 1 pixel"},
        BadFile{"DeepNesting", "m.json", std::string(100000, '['), "nested deeper than 64"},
        BadFile{"Fifo", "m.json", "FIFO", "not a regular file (a FIFO)"},
        BadFile{"FifoImage", "m.png", "FIFO", "not a regular file (a FIFO)"}),
    CaseName);

TEST_P(BadConfigFile, IsRefusedByMsrfFragments) {
  Check({"fragments", image_, "--config", path_, "--out", out_.Path("f.json")}, path_);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadConfigFile,
    ::testing::Values(
        BadFile{"OverflowingNumber", "c.json", R"({"pyramid": {"sigma": 1e999}})",
                "number out of range"},
        BadFile{"WrappingInteger", "c.json", R"({"pyramid": {"num_levels": 4294967298}})",
                "pyramid.num_levels: must be an integer in [-2147483648, 2147483647], got "
                "4294967298"},
        BadFile{"DeepNesting", "c.json", std::string(100000, '{'), "nested deeper than 64"},
        BadFile{"Fifo", "c.json", "FIFO", "not a regular file (a FIFO)"}),
    CaseName);

TEST(DetectInputFiles, RefusesAFifoAsImageOrEdgeMapWithoutBlocking) {
  testing::TempDir in, out;
  const std::string fifo = in.Path("pipe.png"), image = in.Path("scene.png");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  ASSERT_TRUE(cv::imwrite(image, cv::Mat(60, 80, CV_8UC3, cv::Scalar(200, 200, 200))));
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"detect", fifo, "--model", kVase, "--out", out.Path("d.json")},
        std::vector<std::string>{"detect", image, "--edges", fifo, "--model", kVase, "--out",
                                 out.Path("d.json")}}) {
    const testing::CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
    EXPECT_NE(run.err.find(fifo + ": not a regular file (a FIFO)"), std::string::npos) << run.err;
    EXPECT_TRUE(out.Files().empty());
  }
}

TEST(ModelInputFiles, RefusesADeviceAsInput) {
  testing::TempDir out;
  const testing::CliRun run = RunCli({"model", "/dev/zero", "--out", out.Path("m.json")});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find("/dev/zero: not a regular file"), std::string::npos) << run.err;
  EXPECT_TRUE(out.Files().empty());
}

// What `msrf model` writes, `msrf detect` reads: even a model small enough that its points,
// rounded to 0.001, would merge.
TEST(ModelInputFiles, WritesOnlyModelsThatDetectAccepts) {
  testing::TempDir in, out;
  std::ofstream(in.Path("small.json"))
      << R"({"polygon": [[0, 0], [0.9, 0], [0.9, 0.7], [0, 0.7]]})";
  testing::CliRun run =
      RunCli({"model", in.Path("small.json"), "--points", "4096", "--out", out.Path("m.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  ASSERT_TRUE(cv::imwrite(in.Path("scene.png"), cv::Mat(60, 80, CV_8UC3, cv::Scalar(200, 0, 0))));
  Result<ShapeModel> back = LoadShapeModel(out.Path("m.json"), [] {
    ShapeModelOptions o;
    o.num_points = 4096;
    return o;
  }());
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  run = RunCli(
      {"detect", in.Path("scene.png"), "--model", out.Path("m.json"), "--out", out.Path("d.json")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

}  // namespace
}  // namespace msrf
