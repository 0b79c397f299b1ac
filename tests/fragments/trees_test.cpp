#include "msrf/fragments/trees.h"

#include <gtest/gtest.h>

#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

Fragment Line(int id, int level, cv::Point2f a, cv::Point2f b, double step = 1.0) {
  Fragment f;
  f.id = id;
  f.level = level;
  f.points = {a, b};
  f.resampled = ResamplePolyline(f.points, step);
  f.length = PolylineLength(f.points);
  f.bbox =
      cv::Rect2f(std::min(a.x, b.x), std::min(a.y, b.y), std::abs(a.x - b.x), std::abs(a.y - b.y));
  return f;
}

TEST(LinkAcrossLevels, LinksAChildToTheFragmentItRunsAlong) {
  std::vector<Fragment> f = {
      Line(0, 0, {10, 10}, {50, 10}),  // runs along 2
      Line(1, 0, {10, 40}, {50, 40}),  // nothing near at level 1
      Line(2, 1, {0, 11}, {100, 11}),  // parent of 0
      Line(3, 1, {10, 16}, {50, 16}),  // 6 px away: beyond tolerance
  };
  LinkAcrossLevels(f, {1.0, 0.5}, TreeOptions());  // tolerance 2 level-1 px = 4 px
  EXPECT_EQ(f[0].parent, 2);
  EXPECT_EQ(f[1].parent, -1);
  EXPECT_EQ(f[2].parent, -1);  // the coarsest level has no parents
  EXPECT_EQ(f[3].parent, -1);
}

TEST(LinkAcrossLevels, PicksTheParentCoveringMostOfTheChild) {
  std::vector<Fragment> f = {
      Line(0, 0, {0, 0}, {100, 0}), Line(1, 1, {0, 1}, {70, 1}),  // covers 70%
      Line(2, 1, {60, -1}, {100, -1}),                            // covers 40%
  };
  LinkAcrossLevels(f, {1.0, 0.5}, TreeOptions());
  EXPECT_EQ(f[0].parent, 1);
}

TEST(LinkAcrossLevels, RequiresMostOfTheChildToBeCovered) {
  std::vector<Fragment> f = {Line(0, 0, {0, 0}, {100, 0}), Line(1, 1, {0, 1}, {40, 1})};
  TreeOptions o;
  o.min_coverage = 0.6;
  LinkAcrossLevels(f, {1.0, 0.5}, o);
  EXPECT_EQ(f[0].parent, -1);
  o.min_coverage = 0.3;
  LinkAcrossLevels(f, {1.0, 0.5}, o);
  EXPECT_EQ(f[0].parent, 1);
}

TEST(FragmentForest, ListsRootsChildrenAndTrees) {
  std::vector<Fragment> f(5);
  const int parents[5] = {3, 3, 4, -1, -1};
  for (int i = 0; i < 5; ++i) {
    f[i].id = i;
    f[i].parent = parents[i];
  }
  const FragmentForest forest = FragmentForest::FromFragments(f);
  EXPECT_EQ(forest.roots, (std::vector<int>{3, 4}));
  EXPECT_EQ(forest.children[3], (std::vector<int>{0, 1}));
  EXPECT_EQ(forest.children[4], (std::vector<int>{2}));
  EXPECT_EQ(forest.root_of, (std::vector<int>{3, 3, 4, 3, 4}));
}

// A pentagon silhouette seen at three scales an octave apart: every side is a fragment at
// every level, and each side's fragment links to the same side one level up.
TEST(MultiscaleTrees, LinkTheSameSideAcrossLevels) {
  const auto pentagon = RegularPolygon({200, 200}, 150, 5, 0.4);
  const cv::Mat image = testing::DrawFilledShape({400, 400}, pentagon);
  MultiscaleOptions o = testing::CannyMultiscaleOptions();
  o.pyramid.scale_factor = 2.0;
  o.pyramid.num_levels = 3;
  auto result = ExtractMultiscaleFragments(image, cv::Mat(), o);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->levels.size(), 3U);

  auto side_of = [&](const Fragment& f) {
    const cv::Point2d mid = f.resampled[f.resampled.size() / 2];
    int best = -1;
    double best_d = 1e9;
    for (int k = 0; k < 5; ++k) {
      const double d =
          testing::DistanceToPolyline(mid, {pentagon[k], pentagon[(k + 1) % 5]}, false);
      if (d < best_d) {
        best_d = d;
        best = k;
      }
    }
    return best;
  };
  for (const LevelSummary& level : result->levels) EXPECT_EQ(level.fragments, 5) << level.index;
  int links = 0;
  for (const Fragment& f : result->fragments) {
    if (f.level == 2) {
      EXPECT_EQ(f.parent, -1);
      continue;
    }
    ASSERT_GE(f.parent, 0) << "fragment " << f.id << " at level " << f.level;
    const Fragment& p = result->fragments[static_cast<size_t>(f.parent)];
    EXPECT_EQ(p.level, f.level + 1);
    EXPECT_EQ(side_of(p), side_of(f));
    ++links;
  }
  EXPECT_EQ(links, 10);
  const FragmentForest forest = FragmentForest::FromFragments(result->fragments);
  EXPECT_EQ(forest.roots.size(), 5U);
}

}  // namespace
}  // namespace msrf
