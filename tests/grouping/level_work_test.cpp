// The one multiscale pipeline: ExtractMultiscaleFragments, RunMultiscaleLevels and Detect
// give the same fragments, whichever executor runs the levels.
#include "msrf/grouping/level_work.h"

#include <gtest/gtest.h>

#include "msrf/grouping/detect.h"
#include "msrf/io/fragments_json.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

std::string JsonOf(const MultiscaleFragments& fragments, const MultiscaleOptions& options) {
  FragmentsJsonOptions json;
  json.include_timing = false;
  return FragmentsToJson(fragments, options, json);
}

cv::Mat Scene(uint64_t seed) {
  TargetSceneOptions so;
  so.seed = seed;
  return DrawTargetScene(testing::BundledVase().points, so).image;
}

TEST(MultiscalePipeline, ExtractMultiscaleFragmentsAndDetectGiveTheSameFragments) {
  const ShapeModel model = testing::BundledVase();
  DetectOptions options;
  options.mirror = true;
  for (uint64_t seed : {2, 7}) {
    const cv::Mat image = Scene(seed);
    Result<MultiscaleFragments> alone =
        ExtractMultiscaleFragments(image, cv::Mat(), options.fragments);
    Result<Detections> detected = Detect(image, model, options);
    ASSERT_TRUE(alone.ok()) << alone.status().ToString();
    ASSERT_TRUE(detected.ok()) << detected.status().ToString();
    ASSERT_FALSE(alone->fragments.empty());
    EXPECT_EQ(JsonOf(*alone, options.fragments), JsonOf(detected->fragments, options.fragments))
        << "seed " << seed;
  }
}

TEST(MultiscalePipeline, RunMultiscaleLevelsGivesExtractMultiscaleFragmentsAndDetectsCandidates) {
  const ShapeModel model = testing::BundledVase();
  DetectOptions options;
  options.stretches = {1.0};  // one model, as the level work below is given
  const cv::Mat image = Scene(3);
  Result<MultiscaleFragments> alone =
      ExtractMultiscaleFragments(image, cv::Mat(), options.fragments);
  ASSERT_TRUE(alone.ok());
  LocalLevelExecutor local;
  Result<MultiscaleLevelWork> bare =
      RunMultiscaleLevels(image, cv::Mat(), options.fragments, options.candidates, {}, local);
  ASSERT_TRUE(bare.ok()) << bare.status().ToString();
  EXPECT_TRUE(bare->candidates.empty());
  EXPECT_EQ(JsonOf(*alone, options.fragments), JsonOf(bare->fragments, options.fragments));

  Result<MultiscaleLevelWork> with_model =
      RunMultiscaleLevels(image, cv::Mat(), options.fragments, options.candidates, {model}, local);
  ASSERT_TRUE(with_model.ok());
  EXPECT_EQ(JsonOf(*alone, options.fragments), JsonOf(with_model->fragments, options.fragments));
  ASSERT_EQ(with_model->candidates.size(), 1u);
  Result<Detections> detected = Detect(image, model, options);
  ASSERT_TRUE(detected.ok());
  EXPECT_EQ(static_cast<int>(with_model->candidates[0].size()), detected->summary.num_candidates);
  // Candidates name fragments of the whole pyramid, level by level.
  int previous_level = 0;
  for (const Candidate& c : with_model->candidates[0]) {
    ASSERT_GE(c.fragment, 0);
    ASSERT_LT(c.fragment, static_cast<int>(with_model->fragments.fragments.size()));
    const int level = with_model->fragments.fragments[static_cast<size_t>(c.fragment)].level;
    EXPECT_GE(level, previous_level);
    previous_level = level;
  }
  const LevelExecutorReport report = local.Report();
  EXPECT_EQ(report.runs, 2);
  EXPECT_EQ(report.local_levels, 2 * static_cast<int>(alone->levels.size()));
  EXPECT_TRUE(report.nodes.empty());
}

// An executor that loses a level is an error, not a short pyramid.
class LosingExecutor final : public LevelExecutor {
 public:
  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override {
    LocalLevelExecutor local;
    MSRF_ASSIGN_OR_RETURN(std::vector<LevelOutput> out, local.Run(jobs));
    out.pop_back();
    return out;
  }
};

TEST(MultiscalePipeline, AnExecutorThatLosesALevelIsAnInternalError) {
  LosingExecutor losing;
  const DetectOptions options;
  Result<MultiscaleLevelWork> r =
      RunMultiscaleLevels(Scene(1), cv::Mat(), options.fragments, options.candidates, {}, losing);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(MultiscalePipeline, BadInputsAreRefusedBeforeAnyLevelRuns) {
  LocalLevelExecutor local;
  const DetectOptions options;
  Result<MultiscaleLevelWork> r =
      RunMultiscaleLevels(cv::Mat(), cv::Mat(), options.fragments, options.candidates, {}, local);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(local.Report().runs, 0);
}

}  // namespace
}  // namespace msrf
