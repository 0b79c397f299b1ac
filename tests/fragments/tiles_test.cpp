#include "msrf/fragments/tiles.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstring>
#include <string>
#include <tuple>

#include "msrf/core/parallel.h"
#include "msrf/io/image_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// Bitwise equality of two fragment lists, with the first difference in the message.
::testing::AssertionResult SameFragments(const std::vector<Fragment>& a,
                                         const std::vector<Fragment>& b) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure() << a.size() << " fragments vs " << b.size();
  }
  auto same_points = [](const std::vector<cv::Point2f>& p, const std::vector<cv::Point2f>& q) {
    return p.size() == q.size() &&
           (p.empty() || std::memcmp(p.data(), q.data(), p.size() * sizeof(cv::Point2f)) == 0);
  };
  for (size_t i = 0; i < a.size(); ++i) {
    const Fragment& f = a[i];
    const Fragment& g = b[i];
    if (f.level != g.level || f.closed != g.closed || f.id != g.id || f.parent != g.parent ||
        f.length != g.length || f.bbox != g.bbox || !same_points(f.points, g.points) ||
        !same_points(f.resampled, g.resampled)) {
      return ::testing::AssertionFailure()
             << "fragment " << i << " differs: " << f.points.size() << " points from ("
             << f.points.front().x << ", " << f.points.front().y << ") vs " << g.points.size()
             << " from (" << g.points.front().x << ", " << g.points.front().y << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

// A supplied edge strength for `image`: blurred Canny edges, as the thread-count tests use.
cv::Mat StrengthFor(const cv::Mat& image) {
  cv::Mat edges;
  cv::Canny(image, edges, 30, 90);
  cv::GaussianBlur(edges, edges, cv::Size(3, 3), 0.8);
  return *EdgeStrengthFromMap(edges);
}

cv::Mat ClutterImage(cv::Size size, uint64_t seed) {
  ClutterSceneOptions so;
  so.size = size;
  so.seed = seed;
  so.num_shapes = 8;
  so.num_clutter_curves = 20;
  return DrawClutterScene(so).image;
}

// The untiled and the tiled level work on one level; expects them equal.
void ExpectTilesMatchWholeLevel(const ImageLevel& level, const MultiscaleOptions& options,
                                const TileOptions& tiles, TiledLevelSummary* out = nullptr) {
  auto whole = ProcessImageLevel(level, options);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  TiledLevelSummary summary;
  auto tiled = ProcessImageLevelInTiles(level, options, tiles, &summary);
  ASSERT_TRUE(tiled.ok()) << tiled.status().ToString();
  EXPECT_GT(whole->fragments.size(), 20U);
  EXPECT_TRUE(SameFragments(tiled->fragments, whole->fragments));
  EXPECT_EQ(tiled->summary.index, whole->summary.index);
  EXPECT_EQ(tiled->summary.scale, whole->summary.scale);
  EXPECT_EQ(tiled->summary.size, whole->summary.size);
  EXPECT_EQ(tiled->summary.edge_pixels, whole->summary.edge_pixels);
  EXPECT_EQ(tiled->summary.chains, whole->summary.chains);
  EXPECT_EQ(tiled->summary.fragments, whole->summary.fragments);
  EXPECT_EQ(summary.merge.reused_chains + summary.merge.recut_chains, whole->summary.chains);
  if (out != nullptr) *out = summary;
}

TEST(DetectEdgeCandidates, HysteresisOfCannyCandidatesIsCanny) {
  const cv::Mat image = ClutterImage({400, 300}, 3);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  EdgeOptions o = testing::CannyEdgeOptions();
  o.canny_high_threshold = CannyHighThreshold(level.image, o);
  auto c = DetectEdgeCandidates(level, o);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(cv::countNonZero(c->seeds & ~c->candidates), 0);  // seeds are candidates
  EXPECT_LT(cv::countNonZero(c->seeds), cv::countNonZero(c->candidates));
  cv::Mat dx, dy, canny;
  cv::Sobel(level.image, dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(level.image, dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Canny(dx, dy, canny, o.canny_low_ratio * o.canny_high_threshold, o.canny_high_threshold,
            true);
  const cv::Mat hysteresis = HysteresisEdges(c->candidates, c->seeds);
  EXPECT_GT(cv::countNonZero(canny), 1000);
  EXPECT_EQ(cv::countNonZero(hysteresis != canny), 0);
}

TEST(EdgeOptions, TheWholeLevelsThresholdGivenExplicitlyChangesNothing) {
  const cv::Mat image = ClutterImage({400, 300}, 5);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  EdgeOptions automatic = testing::CannyEdgeOptions();
  EdgeOptions fixed = testing::CannyEdgeOptions();
  fixed.canny_high_threshold = CannyHighThreshold(level.image, automatic);
  EXPECT_GT(fixed.canny_high_threshold, 0.0);
  const cv::Mat a = *(*EdgeDetector::Create(automatic))->Detect(level);
  const cv::Mat b = *(*EdgeDetector::Create(fixed))->Detect(level);
  EXPECT_EQ(cv::countNonZero(a != b), 0);
  fixed.canny_high_threshold = -1.0;
  EXPECT_FALSE(fixed.Validate().ok());
}

TEST(EdgeDetector, SuppliedEdgesAreHysteresisOfTheirCandidatesThinned) {
  const cv::Mat image = ClutterImage({320, 240}, 8);
  const ImageLevel level = BuildImageLevel(image, StrengthFor(image), 0, 1.0, PyramidOptions());
  EdgeOptions o = testing::CannyEdgeOptions();
  o.method = EdgeMethod::kSupplied;
  auto c = DetectEdgeCandidates(level, o);
  ASSERT_TRUE(c.ok());
  const cv::Mat direct = *(*EdgeDetector::Create(o))->Detect(level);
  const cv::Mat staged = ThinEdges(HysteresisEdges(c->candidates, c->seeds));
  EXPECT_GT(cv::countNonZero(direct), 500);
  EXPECT_EQ(cv::countNonZero(direct != staged), 0);
  o.method = EdgeMethod::kEdgeDrawing;
  EXPECT_FALSE(DetectEdgeCandidates(level, o).ok());
}

TEST(ProcessImageLevel, PlacesACropsFragmentsWhereTheyLieInTheFullLevel) {
  // A square well inside the crop: the crop and the whole level see the same edges, so the
  // crop's fragments are the level's, at level 0 and at a coarser level.
  const auto square = std::vector<cv::Point2d>{{150, 120}, {330, 120}, {330, 260}, {150, 260}};
  const cv::Mat image = testing::DrawFilledShape({480, 360}, square);
  const std::vector<double> scales = PyramidScales(image.size(), PyramidOptions());
  for (int index : {0, 1}) {
    SCOPED_TRACE("level " + std::to_string(index));
    const ImageLevel level = BuildImageLevel(image, cv::Mat(), index,
                                             scales[static_cast<size_t>(index)], PyramidOptions());
    MultiscaleOptions o = testing::CannyMultiscaleOptions();
    o.edges.canny_high_threshold = CannyHighThreshold(level.image, o.edges);
    const cv::Rect crop(level.image.cols / 5, level.image.rows / 6, level.image.cols * 3 / 5,
                        level.image.rows * 2 / 3);
    const ImageLevel part = CropLevel(level, crop);
    EXPECT_EQ(part.origin, crop.tl());
    EXPECT_EQ(part.full_size, level.image.size());
    const cv::Point2d p0 = ToLevel0(part, {3, 4});
    const cv::Point2d q0 = ToLevel0(level, {3.0 + crop.x, 4.0 + crop.y});
    EXPECT_EQ(p0, q0);
    auto whole = ProcessImageLevel(level, o);
    auto cropped = ProcessImageLevel(part, o);
    ASSERT_TRUE(whole.ok() && cropped.ok());
    EXPECT_EQ(cropped->summary.size, crop.size());
    EXPECT_GE(whole->fragments.size(), 4U);
    EXPECT_TRUE(SameFragments(cropped->fragments, whole->fragments));
  }
}

TEST(PlanTiles, CoresPartitionTheLevelAndCropsAddTheMargin) {
  const cv::Mat image = ClutterImage({1000, 700}, 2);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  TileOptions t;
  t.columns = 3;
  t.rows = 2;
  t.margin = 20;
  auto plan = PlanTiles(level, testing::CannyMultiscaleOptions(), t);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->tiles.size(), 6U);
  EXPECT_GT(plan->options.edges.canny_high_threshold, 0.0);
  cv::Mat cover = cv::Mat::zeros(level.image.size(), CV_32S);
  const cv::Rect whole(cv::Point(0, 0), level.image.size());
  for (const Tile& tile : plan->tiles) {
    EXPECT_EQ(tile.index, tile.row * 3 + tile.column);
    cover(tile.core) += 1;
    const cv::Rect grown(tile.core.x - 20, tile.core.y - 20, tile.core.width + 40,
                         tile.core.height + 40);
    EXPECT_EQ(tile.crop, grown & whole);
  }
  double lo = 0, hi = 0;
  cv::minMaxLoc(cover, &lo, &hi);
  EXPECT_EQ(lo, 1.0);
  EXPECT_EQ(hi, 1.0);

  TileOptions automatic;
  automatic.max_core_pixels = 200 * 200;
  plan = PlanTiles(level, testing::CannyMultiscaleOptions(), automatic);
  ASSERT_TRUE(plan.ok());
  for (const Tile& tile : plan->tiles) EXPECT_LE(tile.core.area(), 200 * 200);
  EXPECT_EQ(plan->columns * plan->rows, static_cast<int>(plan->tiles.size()));
  EXPECT_LE(plan->tiles.size(), 24U);
}

TEST(PlanTiles, RefusesWhatCannotBeTiled) {
  const cv::Mat image = ClutterImage({200, 150}, 2);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  MultiscaleOptions o = testing::CannyMultiscaleOptions();
  TileOptions t;
  t.margin = 2;
  EXPECT_FALSE(PlanTiles(level, o, t).ok());  // margin below 4
  t = TileOptions();
  t.columns = 2;  // rows left 0
  EXPECT_FALSE(PlanTiles(level, o, t).ok());
  t.rows = 2;
  o.edges.method = EdgeMethod::kEdgeDrawing;
  EXPECT_FALSE(PlanTiles(level, o, t).ok());
  o.edges.method = EdgeMethod::kSupplied;  // no edge map
  EXPECT_FALSE(PlanTiles(level, o, t).ok());
  o.edges.method = EdgeMethod::kCanny;
  EXPECT_FALSE(PlanTiles(CropLevel(level, {10, 10, 100, 100}), o, t).ok());
}

TEST(MergeTiles, RefusesOutputsThatDoNotFitThePlan) {
  const cv::Mat image = ClutterImage({200, 150}, 2);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  TileOptions t;
  t.columns = 2;
  t.rows = 1;
  auto plan = PlanTiles(level, testing::CannyMultiscaleOptions(), t);
  ASSERT_TRUE(plan.ok());
  std::vector<TileOutput> outputs;
  auto jobs = MakeTileJobs(level, *plan);
  ASSERT_TRUE(jobs.ok());
  for (const TileJob& job : *jobs) outputs.push_back(*RunTileJob(job));
  const ImageLevel other = BuildImageLevel(image, cv::Mat(), 1, 0.7, PyramidOptions());
  EXPECT_FALSE(MakeTileJobs(other, *plan).ok());
  EXPECT_TRUE(MergeTiles(*plan, outputs).ok());
  std::vector<TileOutput> swapped = {outputs[1], outputs[0]};
  EXPECT_FALSE(MergeTiles(*plan, swapped).ok());
  outputs[0].seeds = cv::Mat::zeros(3, 3, CV_8U);
  EXPECT_FALSE(MergeTiles(*plan, outputs).ok());
  outputs.pop_back();
  EXPECT_FALSE(MergeTiles(*plan, outputs).ok());
}

// (scene seed, supplied edges, columns, rows, margin, level index)
using TileCase = std::tuple<int, bool, int, int, int, int>;

std::string CaseName(const TileCase& c) {
  const auto [seed, supplied, columns, rows, margin, index] = c;
  return "Seed" + std::to_string(seed) + (supplied ? "Supplied" : "Canny") +
         std::to_string(columns) + "x" + std::to_string(rows) + "Margin" + std::to_string(margin) +
         "Level" + std::to_string(index);
}

class TiledLevel : public ::testing::TestWithParam<TileCase> {};

TEST_P(TiledLevel, MergesToTheUntiledFragmentsBitForBit) {
  const auto [seed, supplied, columns, rows, margin, index] = GetParam();
  const cv::Mat image = seed % 2 == 0
                            ? ClutterImage({640, 480}, static_cast<uint64_t>(seed))
                            : DrawTargetScene(RegularPolygon({0, 0}, 50, 7),
                                              // A copy: C++17 cannot capture bindings.
                                              [scene_seed = seed] {
                                                TargetSceneOptions so;
                                                so.size = {640, 480};
                                                so.seed = static_cast<uint64_t>(scene_seed);
                                                so.num_clutter_curves = 30;
                                                return so;
                                              }())
                                  .image;
  MultiscaleOptions o = testing::CannyMultiscaleOptions();
  cv::Mat strength;
  if (supplied) {
    o.edges.method = EdgeMethod::kSupplied;
    strength = StrengthFor(image);
  }
  const std::vector<double> scales = PyramidScales(image.size(), o.pyramid);
  const ImageLevel level =
      BuildImageLevel(image, strength, index, scales[static_cast<size_t>(index)], o.pyramid);
  TileOptions t;
  t.columns = columns;
  t.rows = rows;
  t.margin = margin;
  TiledLevelSummary summary;
  ExpectTilesMatchWholeLevel(level, o, t, &summary);
  EXPECT_EQ(summary.tile_ms.size(), static_cast<size_t>(columns * rows));
  // Most chains come from the tiles; the merge cuts the few that cross the cores.
  if (margin >= 32) {
    EXPECT_GT(summary.merge.reused_chains, 4 * summary.merge.recut_chains);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Scenes, TiledLevel,
    ::testing::Values(TileCase{2, false, 2, 2, 32, 0}, TileCase{2, false, 3, 2, 32, 0},
                      TileCase{2, true, 2, 2, 32, 0}, TileCase{2, true, 3, 2, 32, 0},
                      TileCase{3, false, 2, 2, 32, 0}, TileCase{3, false, 3, 2, 32, 0},
                      TileCase{3, true, 2, 2, 32, 0}, TileCase{3, true, 3, 2, 32, 0},
                      TileCase{4, false, 3, 2, 4, 0}, TileCase{4, true, 3, 2, 4, 0},
                      TileCase{5, false, 2, 2, 16, 1}, TileCase{6, true, 3, 2, 16, 1},
                      TileCase{7, false, 5, 4, 8, 0}),
    [](const auto& param_info) { return CaseName(param_info.param); });

TEST(TiledLevel, MergesTheSameWithOneAndTwoThreads) {
  const cv::Mat image = ClutterImage({640, 480}, 9);
  const ImageLevel level = BuildImageLevel(image, cv::Mat(), 0, 1.0, PyramidOptions());
  TileOptions t;
  t.columns = 3;
  t.rows = 2;
  std::vector<Fragment> runs[2];
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    auto r = ProcessImageLevelInTiles(level, testing::CannyMultiscaleOptions(), t);
    ASSERT_TRUE(r.ok());
    runs[threads - 1] = r->fragments;
  }
  EXPECT_TRUE(SameFragments(runs[0], runs[1]));
}

using EthzTiles = testing::EthzDevTest<const char*>;

TEST_P(EthzTiles, MergeToTheUntiledFragmentsWithCannyAndBerkeleyEdges) {
  const std::string base = root_ + "/" + GetParam();
  auto image = ReadImage(base + ".jpg");
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ImageReadOptions edge_read;
  edge_read.imread_flags = cv::IMREAD_UNCHANGED;
  auto edge_map = ReadImage(base + "_edges.tif", edge_read);
  ASSERT_TRUE(edge_map.ok()) << edge_map.status().ToString();
  for (bool berkeley : {false, true}) {
    MultiscaleOptions o = testing::CannyMultiscaleOptions();
    cv::Mat strength;
    if (berkeley) {
      o.edges.method = EdgeMethod::kSupplied;
      strength = *EdgeStrengthFromMap(*edge_map);
    }
    const ImageLevel level = BuildImageLevel(*image, strength, 0, 1.0, o.pyramid);
    for (const cv::Size grid : {cv::Size(2, 2), cv::Size(3, 2)}) {
      SCOPED_TRACE(std::string(berkeley ? "Berkeley " : "Canny ") + std::to_string(grid.width) +
                   "x" + std::to_string(grid.height));
      TileOptions t;
      t.columns = grid.width;
      t.rows = grid.height;
      ExpectTilesMatchWholeLevel(level, o, t);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Dev, EthzTiles,
                         ::testing::Values("Mugs/apple", "Bottles/baron", "Swans/aal",
                                           "Giraffes/african"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           return name.substr(0, name.find('/'));
                         });

}  // namespace
}  // namespace msrf
