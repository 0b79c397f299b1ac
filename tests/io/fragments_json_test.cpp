#include "msrf/io/fragments_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

TEST(FragmentsJson, FollowsTheSchema) {
  const auto hexagon = RegularPolygon({160, 120}, 90, 6, 0.1);
  const cv::Mat image = testing::DrawFilledShape({320, 240}, hexagon);
  const MultiscaleOptions options;
  auto result = ExtractMultiscaleFragments(image, cv::Mat(), options);
  ASSERT_TRUE(result.ok());
  const auto doc = nlohmann::json::parse(FragmentsToJson(*result, options));

  EXPECT_EQ(doc["schema"], kFragmentsSchemaVersion);
  EXPECT_EQ(doc["image"]["width"], 320);
  ASSERT_TRUE(doc["levels"].is_array());
  ASSERT_EQ(doc["levels"].size(), result->levels.size());
  EXPECT_TRUE(doc.contains("timing"));
  EXPECT_EQ(doc["options"]["pyramid"]["num_levels"], options.pyramid.num_levels);
  size_t fragments = 0;
  int links = 0;
  for (size_t l = 0; l < doc["levels"].size(); ++l) {
    const auto& level = doc["levels"][l];
    EXPECT_EQ(level["index"], l);
    EXPECT_DOUBLE_EQ(level["scale"].get<double>(), result->levels[l].scale);
    for (const auto& f : level["fragments"]) {
      const Fragment& mine = result->fragments[f["id"].get<size_t>()];
      EXPECT_EQ(mine.level, static_cast<int>(l));
      if (f["parent"].is_null()) {
        EXPECT_EQ(mine.parent, -1);
      } else {
        EXPECT_EQ(f["parent"], mine.parent);
        ++links;
      }
      ASSERT_EQ(f["points"].size(), mine.points.size());
      EXPECT_NEAR(f["points"][0][0].get<double>(), mine.points[0].x, 0.006);
      EXPECT_NEAR(f["points"][0][1].get<double>(), mine.points[0].y, 0.006);
      ++fragments;
    }
  }
  EXPECT_EQ(fragments, result->fragments.size());
  EXPECT_GT(links, 0);
  EXPECT_EQ(doc["trees"]["links"], links);

  FragmentsJsonOptions no_timing;
  no_timing.include_timing = false;
  EXPECT_FALSE(
      nlohmann::json::parse(FragmentsToJson(*result, options, no_timing)).contains("timing"));
}

}  // namespace
}  // namespace msrf
