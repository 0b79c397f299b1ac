// Fragments on real photographs: the ETHZ Shape Classes dev half, when it is present.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>

#include "msrf/eval/ethz.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/io/image_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

struct EthzImage {
  const char* folder;
  const char* name;
  const char* klass;
};

using EthzFragments = testing::EthzDevTest<EthzImage>;

TEST_P(EthzFragments, BuildAForestWithRealLinksWithAndWithoutBerkeleyEdges) {
  const EthzImage& e = GetParam();
  const std::string base = root_ + "/" + e.folder + "/" + e.name;
  auto image = ReadImage(base + ".jpg");
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ImageReadOptions edge_read;
  edge_read.imread_flags = cv::IMREAD_UNCHANGED;
  auto edge_map = ReadImage(base + "_edges.tif", edge_read);
  ASSERT_TRUE(edge_map.ok()) << edge_map.status().ToString();
  auto read_boxes = ReadGroundTruth(base + "_" + e.klass + ".groundtruth");
  ASSERT_TRUE(read_boxes.ok()) << read_boxes.status().ToString();
  const std::vector<cv::Rect2d>& boxes = *read_boxes;
  ASSERT_FALSE(boxes.empty());

  for (bool berkeley : {false, true}) {
    SCOPED_TRACE(berkeley ? "Berkeley edges" : "Canny");
    MultiscaleOptions o = testing::CannyMultiscaleOptions();
    cv::Mat strength;
    if (berkeley) {
      o.edges.method = EdgeMethod::kSupplied;
      strength = *EdgeStrengthFromMap(*edge_map);
    }
    auto r = ExtractMultiscaleFragments(*image, strength, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_GE(r->levels.size(), 3U);
    for (const LevelSummary& l : r->levels) EXPECT_GE(l.fragments, 10) << "level " << l.index;
    int linkable = 0, linked = 0, near_object = 0;
    for (const Fragment& f : r->fragments) {
      if (f.level + 1 < static_cast<int>(r->levels.size())) {
        ++linkable;
        linked += f.parent >= 0;
      }
      const cv::Point2f mid = f.resampled[f.resampled.size() / 2];
      for (const cv::Rect2d& b : boxes) near_object += b.contains(mid);
    }
    // Most contours are seen at the next level too.
    EXPECT_GT(linked, linkable * 4 / 10) << linked << " of " << linkable;
    // The object's outline yields fragments.
    EXPECT_GE(near_object, 10);
  }
}

INSTANTIATE_TEST_SUITE_P(Dev, EthzFragments,
                         ::testing::Values(EthzImage{"Mugs", "apple", "mugs"},
                                           EthzImage{"Bottles", "baron", "bottles"},
                                           EthzImage{"Swans", "aal", "swans"}),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace msrf
