// Detection with level 0 split into tiles: the same detections as with the level whole.
#include <gtest/gtest.h>

#include "msrf/fragments/tiles.h"
#include "msrf/grouping/detect.h"
#include "msrf/grouping/level_work.h"
#include "msrf/io/detections_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// Runs level 0 as tiles (planned, run and merged here) and every other level whole; then
// the candidates, as RunLevelJob does.
class TiledLevelZeroExecutor final : public LevelExecutor {
 public:
  explicit TiledLevelZeroExecutor(TileOptions tiles) : tiles_(tiles) {}

  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override {
    std::vector<LevelOutput> outputs;
    for (const LevelJob& job : jobs) {
      if (job.level.index != 0) {
        MSRF_ASSIGN_OR_RETURN(LevelOutput out, RunLevelJob(job));
        outputs.push_back(std::move(out));
        continue;
      }
      MSRF_ASSIGN_OR_RETURN(LevelFragments level,
                            ProcessImageLevelInTiles(job.level, job.fragments, tiles_));
      LevelOutput out;
      out.summary = level.summary;
      out.fragments = std::move(level.fragments);
      for (size_t i = 0; i < out.fragments.size(); ++i) out.fragments[i].id = static_cast<int>(i);
      for (const ShapeModel& model : job.models) {
        out.candidates.push_back(
            FindCandidates(out.fragments, model, job.image_size, job.candidates));
      }
      ++tiled_levels;
      outputs.push_back(std::move(out));
    }
    return outputs;
  }

  int tiled_levels = 0;

 private:
  TileOptions tiles_;
};

class TiledDetect : public ::testing::TestWithParam<int> {};

TEST_P(TiledDetect, FindsWhatTheUntiledLevelFinds) {
  const ShapeModel model = testing::BundledVase();
  ASSERT_FALSE(model.points.empty());
  TargetSceneOptions so;
  so.seed = static_cast<uint64_t>(GetParam());
  so.size = {640, 480};
  const TargetScene scene = DrawTargetScene(model.points, so);
  const DetectOptions options = testing::CannyDetectOptions();
  DetectionsJsonOptions json;
  json.include_timing = false;

  LocalLevelExecutor local;
  auto whole = Detect(scene.image, model, options, cv::Mat(), local);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  for (const cv::Size grid : {cv::Size(2, 2), cv::Size(3, 2)}) {
    TileOptions t;
    t.columns = grid.width;
    t.rows = grid.height;
    TiledLevelZeroExecutor tiled_executor(t);
    auto tiled = Detect(scene.image, model, options, cv::Mat(), tiled_executor);
    ASSERT_TRUE(tiled.ok()) << tiled.status().ToString();
    EXPECT_EQ(tiled_executor.tiled_levels, 1);
    ASSERT_EQ(tiled->detections.size(), whole->detections.size());
    EXPECT_EQ(DetectionsToJson(*tiled, model, options, scene.image.size(), json),
              DetectionsToJson(*whole, model, options, scene.image.size(), json));
  }
  ASSERT_FALSE(whole->detections.empty());
}

INSTANTIATE_TEST_SUITE_P(Scenes, TiledDetect, ::testing::Values(1, 2, 3));

}  // namespace
}  // namespace msrf
