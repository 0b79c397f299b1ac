#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/cli_support.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/file_io.h"
#include "msrf/io/model_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::kVase;
using testing::RunCli;

class DetectCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    auto model = LoadShapeModel(kVase);
    ASSERT_TRUE(model.ok());
    TargetSceneOptions o;
    o.seed = 6;
    scene_ = DrawTargetScene(model->points, o);
    image_ = in_.Path("scene.png");
    ASSERT_TRUE(cv::imwrite(image_, scene_.image));
  }
  testing::TempDir in_;
  testing::TempDir out_;
  std::string image_;
  TargetScene scene_;
};

TEST_F(DetectCommand, WritesJsonOverlayAndSvg) {
  auto run = RunCli({"detect", image_, "--model", kVase, "--out", out_.Path("d.json"), "--overlay",
                     out_.Path("d.png"), "--svg", out_.Path("d.svg")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"d.json", "d.png", "d.svg"}));
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("d.json")));
  EXPECT_EQ(doc["schema"], 1);
  ASSERT_FALSE(doc["detections"].empty());
  const auto& best = doc["detections"][0];
  for (const char* key : {"score", "box", "fragments", "model_arcs", "transform"}) {
    EXPECT_TRUE(best.contains(key)) << key;
  }
  EXPECT_EQ(best["fragments"].size(), best["model_arcs"].size());
  const cv::Rect2d box(best["box"][0].get<double>(), best["box"][1].get<double>(),
                       best["box"][2].get<double>() - best["box"][0].get<double>(),
                       best["box"][3].get<double>() - best["box"][1].get<double>());
  EXPECT_GE(BoxIou(box, scene_.box), 0.5);
  EXPECT_TRUE(doc.contains("timing"));
  const std::string svg = *ReadFileToString(out_.Path("d.svg"));
  EXPECT_NE(svg.find("<path"), std::string::npos);
  EXPECT_EQ(cv::imread(out_.Path("d.png")).cols, 2 * scene_.image.cols);  // small: drawn at 2x
}

TEST_F(DetectCommand, ConfigFileDumpConfigAndTheResultAgree) {
  // Flags override the config file, which overrides the defaults.
  std::ofstream(in_.Path("c.json")) << R"({"detect": {"max_detections": 3, "seed": 11},
                                          "verify": {"max_stretch": 1.2}})";
  auto dump = RunCli({"detect", "--config", in_.Path("c.json"), "--seed", "4", "--dump-config"});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  const auto options = nlohmann::json::parse(dump.out);
  EXPECT_EQ(options["detect"]["max_detections"], 3);
  EXPECT_EQ(options["detect"]["seed"], 4);
  EXPECT_EQ(options["verify"]["max_stretch"], 1.2);
  EXPECT_EQ(options["pyramid"]["num_levels"], MultiscaleOptions().pyramid.num_levels);
  // What --dump-config prints reads back as the same options.
  std::ofstream(in_.Path("all.json")) << dump.out;
  auto again = RunCli({"detect", "--config", in_.Path("all.json"), "--dump-config"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, dump.out);
  // The result records the options it was made with, as --dump-config prints them.
  auto run = RunCli({"detect", image_, "--model", kVase, "--config", in_.Path("c.json"), "--seed",
                     "4", "--out", out_.Path("d.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("d.json")));
  EXPECT_EQ(doc["options"], options);
  EXPECT_LE(doc["detections"].size(), 3u);
  // A fragments config file is a detect config file too.
  auto fragments = RunCli({"fragments", "--dump-config", "--levels", "2"});
  ASSERT_EQ(fragments.exit_code, 0) << fragments.err;
  std::ofstream(in_.Path("f.json")) << fragments.out;
  auto levels = RunCli({"detect", "--config", in_.Path("f.json"), "--dump-config"});
  ASSERT_EQ(levels.exit_code, 0) << levels.err;
  EXPECT_EQ(nlohmann::json::parse(levels.out)["pyramid"]["num_levels"], 2);
}

TEST_F(DetectCommand, GivesTheSameJsonForEveryThreadCount) {
  for (const char* solver : {"relax", "mcmc", "icm"}) {
    for (const char* threads : {"1", "2"}) {
      auto run = RunCli({"detect", image_, "--model", kVase, "--solver", solver, "--seed", "3",
                         "--threads", threads, "--no-timing", "--out",
                         out_.Path(std::string(solver) + threads + ".json")});
      ASSERT_EQ(run.exit_code, 0) << run.err;
    }
    EXPECT_EQ(*ReadFileToString(out_.Path(std::string(solver) + "1.json")),
              *ReadFileToString(out_.Path(std::string(solver) + "2.json")))
        << solver;
  }
}

TEST_F(DetectCommand, ModelCommandConvertsAndPreviews) {
  auto run =
      RunCli({"model", kVase, "--out", out_.Path("m.json"), "--preview", out_.Path("m.png")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto again =
      RunCli({"detect", image_, "--model", out_.Path("m.json"), "--out", out_.Path("d.json")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

// A JPEG mask of an animal whose thin legs nearly touch: the model command writes a model
// and detection runs on it.
TEST_F(DetectCommand, ModelOfAJpegMaskWithLegsCloseTogetherIsOneDetectRuns) {
  cv::Mat mask = cv::Mat::zeros(160, 200, CV_8U);
  cv::ellipse(mask, {100, 60}, {70, 25}, 0, 0, 360, cv::Scalar(255), cv::FILLED);
  for (const int x : {50, 140}) {
    cv::fillConvexPoly(mask,
                       std::vector<cv::Point>{{x, 75}, {x + 4, 75}, {x + 7, 150}, {x + 3, 150}},
                       cv::Scalar(255));
    cv::fillConvexPoly(
        mask, std::vector<cv::Point>{{x + 6, 75}, {x + 10, 75}, {x + 9, 150}, {x + 5, 150}},
        cv::Scalar(255));
  }
  ASSERT_TRUE(cv::imwrite(in_.Path("legs.jpg"), mask, {cv::IMWRITE_JPEG_QUALITY, 50}));
  auto run = RunCli({"model", in_.Path("legs.jpg"), "--out", out_.Path("m.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto again =
      RunCli({"detect", image_, "--model", out_.Path("m.json"), "--out", out_.Path("d.json")});
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

TEST_F(DetectCommand, SeveralImagesGoToFoldersAsSingleRunsWouldWriteThem) {
  auto model = LoadShapeModel(kVase);
  ASSERT_TRUE(model.ok());
  TargetSceneOptions o;
  o.seed = 7;
  const std::string second = in_.Path("second.png");
  ASSERT_TRUE(cv::imwrite(second, DrawTargetScene(model->points, o).image));
  auto batch = RunCli({"detect", image_, second, "--model", kVase, "--no-timing", "--out",
                       out_.Path("json"), "--overlay", out_.Path("png")});
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  EXPECT_NE(batch.out.find(second + ": "), std::string::npos) << batch.out;
  EXPECT_EQ(out_.Files(), (std::vector<std::string>{"json", "png"}));
  for (const std::string& stem : {std::string("scene"), std::string("second")}) {
    const std::string image = in_.Path(stem + ".png");
    auto single = RunCli(
        {"detect", image, "--model", kVase, "--no-timing", "--out", out_.Path(stem + ".json")});
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_EQ(*ReadFileToString(out_.Path("json/" + stem + ".json")),
              *ReadFileToString(out_.Path(stem + ".json")))
        << stem;
    EXPECT_FALSE(cv::imread(out_.Path("png/" + stem + ".png")).empty()) << stem;
  }
}

TEST_F(DetectCommand, SeveralModelsInOnePassGiveWhatEachGivesAlone) {
  // A second shape: the vase's mirror image drawn as a polygon (its own name).
  auto vase = LoadShapeModel(kVase);
  ASSERT_TRUE(vase.ok());
  nlohmann::json poly;
  poly["name"] = "wedge";
  poly["polygon"] = {{0, 0}, {60, 10}, {70, 80}, {10, 60}};
  std::ofstream(in_.Path("wedge.json")) << poly.dump();
  auto both = RunCli({"detect", image_, "--model", kVase, "--model", in_.Path("wedge.json"),
                      "--no-timing", "--out", out_.Path("both.json"), "--overlay",
                      out_.Path("both.png"), "--svg", out_.Path("both.svg")});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("both.json")));
  ASSERT_EQ(doc["models"].size(), 2u);
  EXPECT_EQ(doc["models"][0]["name"], vase->name);
  EXPECT_EQ(doc["models"][1]["name"], "wedge");
  EXPECT_FALSE(doc.contains("model"));
  // Best first across models.
  for (size_t k = 1; k < doc["detections"].size(); ++k) {
    EXPECT_GE(doc["detections"][k - 1]["score"].get<double>(),
              doc["detections"][k]["score"].get<double>());
  }
  // Per model, the detections and counts of a run with that model alone.
  size_t m = 0;
  for (const std::string& model : {std::string(kVase), in_.Path("wedge.json")}) {
    auto alone = RunCli(
        {"detect", image_, "--model", model, "--no-timing", "--out", out_.Path("alone.json")});
    ASSERT_EQ(alone.exit_code, 0) << alone.err;
    const auto single = nlohmann::json::parse(*ReadFileToString(out_.Path("alone.json")));
    const std::string name = single["model"]["name"];
    nlohmann::json mine = nlohmann::json::array();
    for (const auto& d : doc["detections"]) {
      if (d["model"] == name) mine.push_back(d);
    }
    EXPECT_EQ(mine, single["detections"]) << name;
    EXPECT_EQ(doc["models"][m]["summary"], single["summary"]) << name;
    ++m;
  }
  ASSERT_FALSE(doc["detections"].empty());
  EXPECT_NE(ReadFileToString(out_.Path("both.svg"))->find("data-model=\""), std::string::npos);
  EXPECT_FALSE(cv::imread(out_.Path("both.png")).empty());
  // --models FOLDER reads every model in it, by name.
  testing::TempDir models;
  std::filesystem::copy_file(kVase, models.Path("a_vase.json"));
  std::filesystem::copy_file(in_.Path("wedge.json"), models.Path("b_wedge.json"));
  auto folder = RunCli({"detect", image_, "--models", models.Path(""), "--no-timing", "--out",
                        out_.Path("folder.json")});
  ASSERT_EQ(folder.exit_code, 0) << folder.err;
  EXPECT_EQ(*ReadFileToString(out_.Path("folder.json")), *ReadFileToString(out_.Path("both.json")));
}

TEST_F(DetectCommand, MinScoreDropsWeakerDetections) {
  auto all = RunCli({"detect", image_, "--model", kVase, "--min-score", "0", "--no-timing", "--out",
                     out_.Path("all.json")});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto doc = nlohmann::json::parse(*ReadFileToString(out_.Path("all.json")));
  ASSERT_GE(doc["detections"].size(), 2u);
  // A floor between the best and the second keeps the best alone.
  const double best = doc["detections"][0]["score"], second = doc["detections"][1]["score"];
  ASSERT_GT(best, second);
  const std::string floor = std::to_string((best + second) / 2);
  auto strong = RunCli({"detect", image_, "--model", kVase, "--min-score", floor, "--no-timing",
                        "--out", out_.Path("strong.json")});
  ASSERT_EQ(strong.exit_code, 0) << strong.err;
  const auto kept = nlohmann::json::parse(*ReadFileToString(out_.Path("strong.json")));
  ASSERT_EQ(kept["detections"].size(), 1u);
  EXPECT_EQ(kept["detections"][0], doc["detections"][0]);
}

TEST_F(DetectCommand, FoldersAndListsOfImagesAndFailuresThatLetTheOthersGoOn) {
  auto model = LoadShapeModel(kVase);
  ASSERT_TRUE(model.ok());
  testing::TempDir folder;
  TargetSceneOptions o;
  o.seed = 7;
  ASSERT_TRUE(cv::imwrite(folder.Path("b.png"), DrawTargetScene(model->points, o).image));
  ASSERT_TRUE(cv::imwrite(folder.Path("a.png"), scene_.image));
  std::ofstream(folder.Path("notes.txt")) << "not an image, and not named like one";
  auto from_folder =
      RunCli({"detect", folder.Path(""), "--model", kVase, "--no-timing", "--out", out_.Path("f")});
  ASSERT_EQ(from_folder.exit_code, 0) << from_folder.err;
  // In name order, each as a single run would write it.
  EXPECT_LT(from_folder.out.find("a.png: "), from_folder.out.find("b.png: ")) << from_folder.out;
  auto single = RunCli({"detect", folder.Path("b.png"), "--model", kVase, "--no-timing", "--out",
                        out_.Path("b.json")});
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_EQ(*ReadFileToString(out_.Path("f/b.json")), *ReadFileToString(out_.Path("b.json")));

  // A list: relative to its folder, comments and blank lines skipped; one image missing and
  // one broken: a line each naming it, the rest written, exit code 1.
  std::ofstream(folder.Path("broken.png")) << "not a png";
  std::ofstream(folder.Path("list.txt")) << "# the scenes\na.png\n\nmissing.png\nbroken.png\n"
                                         << folder.Path("b.png") << "\n";
  auto listed = RunCli({"detect", "@" + folder.Path("list.txt"), "--model", kVase, "--no-timing",
                        "--out", out_.Path("l")});
  EXPECT_EQ(listed.exit_code, 1) << listed.err;
  EXPECT_NE(listed.err.find("missing.png"), std::string::npos) << listed.err;
  EXPECT_NE(listed.err.find("broken.png"), std::string::npos) << listed.err;
  EXPECT_NE(listed.err.find("2 of 4 images failed"), std::string::npos) << listed.err;
  EXPECT_EQ(listed.ErrLines(), 3) << listed.err;
  std::vector<std::string> written;
  for (const auto& e : std::filesystem::directory_iterator(out_.Path("l"))) {
    written.push_back(e.path().filename().string());
  }
  std::sort(written.begin(), written.end());
  EXPECT_EQ(written, (std::vector<std::string>{"a.json", "b.json"}));
  EXPECT_EQ(*ReadFileToString(out_.Path("l/b.json")), *ReadFileToString(out_.Path("b.json")));
}

struct BadDetectInput {
  std::string name;
  std::vector<std::string> args;
  std::string words;
};

void PrintTo(const BadDetectInput& b, std::ostream* os) { *os << b.name; }

class DetectBadInput : public DetectCommand,
                       public ::testing::WithParamInterface<BadDetectInput> {};

TEST_P(DetectBadInput, OneLineExitTwoAndNoOutput) {
  std::ofstream(in_.Path("few.json")) << R"({"polygon": [[0, 0], [10, 0]]})";
  std::ofstream(in_.Path("cross.json")) << R"({"polygon": [[0, 0], [10, 10], [10, 0], [0, 20]]})";
  std::ofstream(in_.Path("broken.json")) << R"({"polygon": [[0, 0], [10, 0], [5, 8]])";
  std::ofstream(in_.Path("nopoly.json")) << R"({"name": "x"})";
  std::ofstream(in_.Path("bad_config.json")) << R"({"verify": {"max_stretch": 0.5}})";
  std::ofstream(in_.Path("typo_config.json")) << R"({"detect": {"max_detection": 2}})";
  std::ofstream(in_.Path("good_config.json")) << R"({"detect": {"max_detections": 2}})";
  std::ofstream(in_.Path("supplied.json")) << R"({"edges": {"method": "supplied"}})";
  cv::Mat open(200, 200, CV_8U, cv::Scalar(255));
  DrawPolyline(open, {{100, 100}, {150, 100}, {150, 150}}, false, 0, 2);  // a corner, not a shape
  ASSERT_TRUE(cv::imwrite(in_.Path("open.png"), open));
  cv::Mat two = cv::Mat::zeros(200, 300, CV_8U);
  cv::circle(two, {70, 100}, 50, cv::Scalar(255), cv::FILLED);
  cv::circle(two, {220, 100}, 40, cv::Scalar(255), cv::FILLED);
  ASSERT_TRUE(cv::imwrite(in_.Path("two.png"), two));
  ASSERT_TRUE(cv::imwrite(in_.Path("blank_edges.png"), cv::Mat::zeros(scene_.image.size(), CV_8U)));
  std::filesystem::create_directories(in_.Path("none"));
  std::filesystem::create_directories(in_.Path("one"));
  ASSERT_TRUE(cv::imwrite(in_.Path("one/scene.png"), scene_.image));
  std::ofstream(in_.Path("empty.txt")) << "# nothing\n\n";
  std::filesystem::copy_file(kVase, in_.Path("vase_copy.json"));
  auto run =
      RunCli(testing::ExpandArgs(GetParam().args, {{"IMAGE", image_}, {"VASE", kVase}}, in_, out_));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(GetParam().words), std::string::npos) << run.err;
  EXPECT_TRUE(out_.Files().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, DetectBadInput,
    ::testing::Values(
        BadDetectInput{"TooFewPoints",
                       {"detect", "IMAGE", "--model", "IN/few.json", "--out", "OUT/d.json"},
                       "at least 3"},
        BadDetectInput{"SelfIntersecting",
                       {"detect", "IMAGE", "--model", "IN/cross.json", "--out", "OUT/d.json"},
                       "intersects itself"},
        BadDetectInput{"MalformedJson",
                       {"detect", "IMAGE", "--model", "IN/broken.json", "--out", "OUT/d.json"},
                       "broken.json: not valid JSON"},
        BadDetectInput{"NoPolygon",
                       {"detect", "IMAGE", "--model", "IN/nopoly.json", "--out", "OUT/d.json"},
                       "no \"polygon\""},
        BadDetectInput{"OpenOutline",
                       {"detect", "IMAGE", "--model", "IN/open.png", "--out", "OUT/d.json"},
                       "the outline is open"},
        BadDetectInput{"UnreadableModel",
                       {"detect", "IMAGE", "--model", "IN/nope.json", "--out", "OUT/d.json"},
                       "--model: "},
        BadDetectInput{"EmptyEdgeMap",
                       {"detect", "IMAGE", "--model", "VASE", "--edges", "IN/blank_edges.png",
                        "--out", "OUT/d.json", "--overlay", "OUT/d.png"},
                       "the edge map is empty"},
        BadDetectInput{
            "BadSolver",
            {"detect", "IMAGE", "--model", "VASE", "--solver", "sgd", "--out", "OUT/d.json"},
            "--solver"},
        BadDetectInput{"ForestScalesOutOfRange",
                       {"detect", "IMAGE", "--model", "VASE", "--forest-scales", "0.5,8", "--out",
                        "OUT/d.json"},
                       "--forest-scales must be in [0.25, 4], got 8"},
        BadDetectInput{
            "ForestScalesNotNumbers",
            {"detect", "IMAGE", "--model", "VASE", "--forest-scales", "1,x", "--out", "OUT/d.json"},
            "--forest-scales"},
        BadDetectInput{
            "SvgName",
            {"detect", "IMAGE", "--model", "VASE", "--out", "OUT/d.json", "--svg", "OUT/d.png"},
            "--svg"},
        BadDetectInput{"ConfigOutOfRange",
                       {"detect", "IMAGE", "--model", "VASE", "--config", "IN/bad_config.json",
                        "--out", "OUT/d.json"},
                       "bad_config.json: verify.max_stretch"},
        BadDetectInput{"ConfigUnknownKey",
                       {"detect", "IMAGE", "--model", "VASE", "--config", "IN/typo_config.json",
                        "--out", "OUT/d.json"},
                       "unknown key 'detect.max_detection'"},
        BadDetectInput{"ConfigSuppliedEdgesWithoutAMap",
                       {"detect", "IMAGE", "--model", "VASE", "--config", "IN/supplied.json",
                        "--out", "OUT/d.json"},
                       "needs --edges"},
        BadDetectInput{"ConfigMissing",
                       {"detect", "IMAGE", "--model", "VASE", "--config", "IN/nope.json", "--out",
                        "OUT/d.json"},
                       "nope.json"},
        BadDetectInput{"NoModelWithoutDumpConfig",
                       {"detect", "IMAGE", "--out", "OUT/d.json"},
                       "--model is required"},
        BadDetectInput{"ConfigIsTheOutput",
                       {"detect", "IMAGE", "--model", "VASE", "--config", "IN/good_config.json",
                        "--out", "IN/good_config.json"},
                       "--out"},
        BadDetectInput{"EmptyImageFolder",
                       {"detect", "IN/none", "--model", "VASE", "--out", "OUT/d"},
                       "holds no image file"},
        BadDetectInput{"EmptyImageList",
                       {"detect", "@IN/empty.txt", "--model", "VASE", "--out", "OUT/d"},
                       "lists no image"},
        BadDetectInput{"MissingImageList",
                       {"detect", "@IN/nope.txt", "--model", "VASE", "--out", "OUT/d"},
                       "nope.txt"},
        BadDetectInput{"EdgeMapsWithAFolder",
                       {"detect", "IN/one", "--model", "VASE", "--edges", "IN/blank_edges.png",
                        "--out", "OUT/d"},
                       "not as a folder or an @list"},
        BadDetectInput{"TwoModelsOfOneName",
                       {"detect", "IMAGE", "--model", "VASE", "--model", "IN/vase_copy.json",
                        "--out", "OUT/d.json"},
                       "is also that of"},
        BadDetectInput{"ModelsNotAFolder",
                       {"detect", "IMAGE", "--models", "VASE", "--out", "OUT/d.json"},
                       "--models"},
        BadDetectInput{"ModelsFolderWithoutModels",
                       {"detect", "IMAGE", "--models", "IN/none", "--out", "OUT/d.json"},
                       "holds no model"},
        BadDetectInput{
            "MinScoreOutOfRange",
            {"detect", "IMAGE", "--model", "VASE", "--min-score", "1.5", "--out", "OUT/d.json"},
            "--min-score"},
        BadDetectInput{"SameStemTwice",
                       {"detect", "IMAGE", "IMAGE", "--model", "VASE", "--out", "OUT/d"},
                       "would both be written as scene.json"},
        BadDetectInput{"EdgeMapsPerImage",
                       {"detect", "IMAGE", "IN/open.png", "--model", "VASE", "--edges",
                        "IN/blank_edges.png", "--out", "OUT/d"},
                       "one edge map per image"},
        BadDetectInput{"ModelOpenOutline",
                       {"model", "IN/open.png", "--out", "OUT/m.json"},
                       "the outline is open"},
        BadDetectInput{"ModelTwoShapes",
                       {"model", "IN/two.png", "--out", "OUT/m.json", "--preview", "OUT/m.png"},
                       "two.png: the mask holds 2 separate shapes"},
        BadDetectInput{"ModelTooFew",
                       {"model", "IN/few.json", "--out", "OUT/m.json", "--preview", "OUT/m.png"},
                       "at least 3"}),
    [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace msrf
