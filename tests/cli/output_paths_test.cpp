// Output paths as the commands check them: never an input or another output, never a link,
// device or FIFO, never empty; refused with exit 2 before any work, nothing written.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli/cli_support.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;
using testing::CliRun;
using testing::kVase;
using testing::RunCli;

class OutputPaths : public ::testing::Test {
 protected:
  void SetUp() override {
    const ShapeModel vase = testing::BundledVase();
    TargetSceneOptions o;
    o.seed = 6;
    ASSERT_TRUE(cv::imwrite(in_.Path("scene.png"), DrawTargetScene(vase.points, o).image));
    o.seed = 7;
    ASSERT_TRUE(cv::imwrite(in_.Path("second.png"), DrawTargetScene(vase.points, o).image));
    fs::copy_file(kVase, in_.Path("vase.json"));
    fs::copy_file(kVase, in_.Path("scene.json"));  // what a batch would write for scene.png
    std::ofstream(in_.Path("bad.png")) << "not an image";
    std::ofstream(in_.Path("other.json")) << "{}";
    fs::create_directory(in_.Path("sub"));
    fs::create_symlink(in_.Path("scene.png"), in_.Path("link.png"));
    fs::create_symlink(in_.Path("other.json"), in_.Path("link.json"));
    ASSERT_EQ(::mkfifo(in_.Path("fifo.json").c_str(), 0600), 0);
  }
  // Every regular file of the input folder and its bytes.
  std::map<std::string, std::string> Inputs() const {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(in_.path())) {
      if (e.is_regular_file() && !e.is_symlink())
        files[e.path().filename().string()] = *ReadFileToString(e.path().string());
    }
    return files;
  }
  CliRun Run(const std::vector<std::string>& args) const {
    return RunCli(testing::ExpandArgs(args, {}, in_, out_));
  }
  testing::TempDir in_;
  testing::TempDir out_;
};

struct RefusedOutput {
  std::string name;
  std::vector<std::string> args;
  std::string words;
};

void PrintTo(const RefusedOutput& r, std::ostream* os) { *os << r.name; }

class RefusedOutputs : public OutputPaths, public ::testing::WithParamInterface<RefusedOutput> {};

TEST_P(RefusedOutputs, ExitTwoWithOneLineAndNothingWritten) {
  const auto before = Inputs();
  const CliRun run = Run(GetParam().args);
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(GetParam().words), std::string::npos) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_TRUE(out_.Files().empty());
  EXPECT_EQ(Inputs(), before);
  EXPECT_TRUE(fs::is_symlink(in_.Path("link.json")));
  EXPECT_TRUE(fs::is_fifo(in_.Path("fifo.json")));
}

const std::vector<std::string> kDetect = {"detect", "IN/scene.png", "--model", "IN/vase.json"};

std::vector<std::string> Detect(std::vector<std::string> more) {
  std::vector<std::string> args = kDetect;
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, RefusedOutputs,
    ::testing::Values(
        RefusedOutput{"DetectOutIsTheImage", Detect({"--out", "IN/scene.png"}), "input IMAGE"},
        RefusedOutput{"DetectOutIsTheImageByAnotherName", Detect({"--out", "IN/sub/../scene.png"}),
                      "input IMAGE"},
        RefusedOutput{"DetectOutIsALinkToTheImage", Detect({"--out", "IN/link.png"}),
                      "input IMAGE"},
        RefusedOutput{"DetectOverlayIsTheImage",
                      Detect({"--out", "OUT/d.json", "--overlay", "IN/scene.png"}), "--overlay"},
        RefusedOutput{"DetectOutIsTheModel", Detect({"--out", "IN/vase.json"}), "input --model"},
        RefusedOutput{"DetectOutIsTheOverlay",
                      Detect({"--out", "OUT/d.png", "--overlay", "OUT/d.png"}),
                      "also the output --out"},
        RefusedOutput{
            "BatchOutFolderHoldsTheModel",
            {"detect", "IN/scene.png", "IN/second.png", "--model", "IN/scene.json", "--out", "IN/"},
            "input --model"},
        RefusedOutput{"DetectOutIsALink", Detect({"--out", "IN/link.json"}), "symbolic link"},
        RefusedOutput{"DetectOutIsAFifo", Detect({"--out", "IN/fifo.json"}), "a FIFO"},
        RefusedOutput{"DetectOutIsEmpty", Detect({"--out", ""}), "empty"},
        RefusedOutput{"DetectOverlayIsEmpty", Detect({"--out", "OUT/d.json", "--overlay", ""}),
                      "empty"},
        RefusedOutput{"DetectOutInAFolderThatTakesNoFile", Detect({"--out", "/proc/d.json"}),
                      "--out"},
        RefusedOutput{"FragmentsOutIsTheImage",
                      {"fragments", "IN/scene.png", "--out", "IN/scene.png"},
                      "input IMAGE"},
        RefusedOutput{
            "FragmentsOverlayIsTheImage",
            {"fragments", "IN/scene.png", "--out", "OUT/f.json", "--overlay", "IN/scene.png"},
            "input IMAGE"},
        RefusedOutput{"ModelOutIsTheInput",
                      {"model", "IN/vase.json", "--out", "IN/vase.json"},
                      "input INPUT"},
        RefusedOutput{"ModelPreviewIsTheOut",
                      {"model", "IN/vase.json", "--out", "OUT/m.png", "--preview", "OUT/m.png"},
                      "also the output --out"},
        RefusedOutput{"SynthOutIsTheTarget",
                      {"synth", "--target", "IN/vase.json", "--out", "IN/vase.json"},
                      "input --target"},
        RefusedOutput{"SynthOutIsEmpty", {"synth", "--out", ""}, "empty"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST_F(OutputPaths, AnOutputNameOfTheLongestLengthIsWritten) {
  const std::string name = std::string(251, 's') + ".png";  // 255 bytes
  const CliRun run = Run({"synth", "--width", "64", "--height", "64", "--out", "OUT/" + name});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(out_.Files(), std::vector<std::string>{name});
}

TEST_F(OutputPaths, ABatchGoesOnPastAnImageThatFailsAndSaysSo) {
  // A PNG whose header is whole but whose pixels are cut off passes the upfront check and
  // fails to decode; a file that is no image fails the check. Each gets a line naming it,
  // nothing of it is written, the others are, and the exit code is 1.
  const std::string png = *ReadFileToString(in_.Path("second.png"));
  std::ofstream(in_.Path("cut.png"), std::ios::binary) << png.substr(0, 64);
  const CliRun run = Run({"detect", "IN/scene.png", "IN/cut.png", "IN/bad.png", "IN/second.png",
                          "--model", "IN/vase.json", "--no-timing", "--out", "OUT/d"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(run.ErrLines(), 3) << run.err;
  EXPECT_NE(run.err.find("cut.png"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bad.png: not an image"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("2 of 4 images failed"), std::string::npos) << run.err;
  std::vector<std::string> written;
  for (const auto& e : fs::directory_iterator(out_.Path("d")))
    written.push_back(e.path().filename().string());
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, (std::vector<std::string>{"scene.json", "second.json"}));
}

TEST_F(OutputPaths, ANameThatIsNotUtf8IsRefused) {
  const CliRun run = Run({"model", "IN/vase.json", "--name", "vase\xff", "--out", "OUT/m.json"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find("--name"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("UTF-8"), std::string::npos) << run.err;
  EXPECT_TRUE(out_.Files().empty());
}

TEST_F(OutputPaths, AFileNameThatIsNotUtf8StillGivesValidJson) {
  const std::string odd = "vase\xff\xfe.json";
  fs::copy_file(kVase, in_.Path(odd));
  const CliRun model = Run({"model", "IN/" + odd, "--out", "OUT/m.json"});
  ASSERT_EQ(model.exit_code, 0) << model.err;
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("m.json")));
  EXPECT_EQ(doc["name"].get<std::string>().find('\xff'), std::string::npos);

  const CliRun detect =
      Run({"detect", "IN/scene.png", "--model", "IN/" + odd, "--out", "OUT/d.json"});
  ASSERT_EQ(detect.exit_code, 0) << detect.err;
  EXPECT_NO_THROW(nlohmann::json::parse(*ReadFileToString(out_.Path("d.json"))));
}

}  // namespace
}  // namespace msrf
