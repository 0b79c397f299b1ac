#include "msrf/grouping/group_fit.h"

#include <gtest/gtest.h>

#include <vector>

namespace msrf {
namespace {

ShapeModel Square() {
  auto model = ShapeModelFromPolygon({{0, 0}, {100, 0}, {100, 100}, {0, 100}});
  EXPECT_TRUE(model.ok());
  return model.ok() ? *model : ShapeModel();
}

// Point pairs along two arcs of the square, placed by a known similarity.
Group PlacedGroup(const ShapeModel& model, const Similarity& t, std::vector<ModelArc> arcs) {
  Group g;
  const int n = static_cast<int>(model.points.size());
  g.covered.assign(static_cast<size_t>(n), 0);
  for (const ModelArc& arc : arcs) {
    for (const cv::Point2d& p : SampleArc(model, arc, 12)) {
      g.from.push_back(p);
      g.to.push_back(t.Apply(p));
    }
    for (int k = 0; k < ArcPointCount(arc, n); ++k)
      g.covered[static_cast<size_t>((arc.start + k) % n)] = 1;
    g.model_arcs.push_back(arc);
  }
  return g;
}

TEST(FitGroup, RecoversThePlacementOfAnExactGroup) {
  const ShapeModel model = Square();
  Similarity t;
  t.scale = 1.5;
  t.angle = 0.1;
  t.translation = {40, 30};
  const int n = static_cast<int>(model.points.size());
  const Group g = PlacedGroup(model, t, {{0, n / 4}, {n / 2, 3 * n / 4}});
  const GroupFit fit = FitGroup(model, g, 100.0, 0.05);
  EXPECT_NEAR(fit.transform.scale, 1.5, 1e-6);
  EXPECT_NEAR(fit.transform.angle, 0.1, 1e-6);
  EXPECT_NEAR(fit.transform.translation.x, 40.0, 1e-4);
  EXPECT_NEAR(fit.transform.translation.y, 30.0, 1e-4);
  EXPECT_NEAR(fit.fit, 1.0, 1e-6);
  // Two arcs of a quarter each (their end points included).
  EXPECT_NEAR(fit.coverage, 0.5, 2.5 / n);
}

TEST(FitGroup, FitFallsWhenTheGroupStraysFromTheOutline) {
  const ShapeModel model = Square();
  const int n = static_cast<int>(model.points.size());
  Group g = PlacedGroup(model, Similarity(), {{0, n / 4}, {n / 2, 3 * n / 4}});
  for (size_t k = 0; k < g.to.size(); k += 2) g.to[k] += cv::Point2d(0, k % 4 == 0 ? 4 : -4);
  const GroupFit fit = FitGroup(model, g, 100.0, 0.05);
  EXPECT_LT(fit.fit, 0.9);
  EXPECT_GT(fit.fit, 0.0);
}

TEST(ReadGroup, TakesTheFragmentsLabelledWithACandidate) {
  const ShapeModel model = Square();
  std::vector<Fragment> fragments(3);
  for (Fragment& f : fragments) f.resampled = {{0, 0}, {10, 0}, {20, 0}};
  std::vector<Candidate> candidates(3);
  for (int f = 0; f < 3; ++f) {
    candidates[static_cast<size_t>(f)].fragment = f;
    candidates[static_cast<size_t>(f)].arc = {4 * f, 4 * f + 3};
  }
  HypothesisField hf;
  hf.kept = {0, 1, 2};
  for (int f = 0; f < 3; ++f) {
    hf.labels[f] = {FieldLabel{&candidates[static_cast<size_t>(f)], 0.9}};
    hf.node_of[f] = f;
  }
  // Node 1 is background.
  const Group g = ReadGroup(hf, {1, 0, 1}, fragments, model, 12);
  EXPECT_EQ(g.fragments, (std::vector<int>{0, 2}));
  ASSERT_EQ(g.model_arcs.size(), 2u);
  EXPECT_EQ(g.model_arcs[1].start, 8);
  EXPECT_EQ(g.from.size(), 24u);
  EXPECT_EQ(g.to.size(), 24u);
  EXPECT_EQ(g.covered[0], 1);
  EXPECT_EQ(g.covered[5], 0);
  EXPECT_EQ(g.covered[11], 1);
}

}  // namespace
}  // namespace msrf
