#include "msrf/grouping/hypothesis_field.h"

#include <gtest/gtest.h>

#include <vector>

namespace msrf {
namespace {

// A hypothesis at (100, 100), scale 1 (object size 100 for a model 100 wide).
Hypothesis AtCentre() { return Hypothesis{{100, 100}, 0.0, 1.0}; }

Candidate Vote(int fragment, double quality, cv::Point2d centre, ModelArc arc = {0, 15}) {
  Candidate c;
  c.fragment = fragment;
  c.quality = quality;
  c.centre = centre;
  c.transform.scale = 1.0;
  c.arc = arc;
  return c;
}

TEST(SelectLabels, KeepsTheBestAgreeingCandidatesOfTheBestFragments) {
  std::vector<Candidate> candidates;
  for (double q : {0.5, 0.9, 0.6, 0.8, 0.7, 0.4}) candidates.push_back(Vote(0, q, {100, 100}));
  candidates.push_back(Vote(1, 1.0, {180, 100}));  // far from the hypothesis
  candidates.push_back(Vote(2, 0.3, {101, 100}));
  PotentialOptions po;
  po.max_labels = 4;
  const HypothesisField hf = SelectLabels(candidates, AtCentre(), 100.0, HypothesisOptions(), po);
  EXPECT_EQ(hf.kept, (std::vector<int>{0, 2}));
  ASSERT_EQ(hf.labels.count(0), 1u);
  EXPECT_EQ(hf.labels.count(1), 0u);
  const std::vector<FieldLabel>& best = hf.labels.at(0);
  ASSERT_EQ(best.size(), 4u);
  EXPECT_DOUBLE_EQ(best[0].unary, 0.9);  // agreement 1 at the hypothesis' centre
  EXPECT_DOUBLE_EQ(best[3].unary, 0.6);
  EXPECT_LT(hf.labels.at(2)[0].unary, 0.3);  // 1 pixel off: agreement below 1

  po.max_fragments = 1;
  EXPECT_EQ(SelectLabels(candidates, AtCentre(), 100.0, HypothesisOptions(), po).kept,
            (std::vector<int>{0}));
}

// Fragment 0 runs along fragment 2 (its parent, a level up); fragment 1 stands alone.
TEST(BuildField, LinksParentsAndAddsNoEdgeBetweenAFragmentAndItsAncestor) {
  std::vector<Fragment> fragments(3);
  for (int f = 0; f < 3; ++f) fragments[static_cast<size_t>(f)].id = f;
  fragments[0].parent = 2;
  fragments[2].level = 1;
  const FragmentForest forest = FragmentForest::FromFragments(fragments);
  const std::vector<Candidate> candidates = {Vote(0, 0.9, {100, 100}, {0, 15}),
                                             Vote(1, 0.8, {100, 100}, {40, 55}),
                                             Vote(2, 0.7, {100, 100}, {0, 30})};
  HypothesisField hf =
      SelectLabels(candidates, AtCentre(), 100.0, HypothesisOptions(), PotentialOptions());
  ASSERT_EQ(hf.kept.size(), 3u);
  ASSERT_TRUE(BuildField(fragments, forest, 128, 100.0, PotentialOptions(), &hf).ok());
  const MultiscaleField& field = hf.field;
  ASSERT_EQ(field.num_nodes(), 3);
  EXPECT_EQ(field.parent(hf.node_of.at(0)), hf.node_of.at(2));
  EXPECT_EQ(field.parent(hf.node_of.at(1)), -1);
  EXPECT_EQ(field.level(hf.node_of.at(2)), 1);
  EXPECT_EQ(field.num_labels(hf.node_of.at(0)), 2);  // background and the one candidate
  // 0-1 and 1-2; never 0-2, which cannot both lie in a cut.
  EXPECT_EQ(field.potentials().num_edges(), 2);
  EXPECT_TRUE(field.Validate().ok());
}

TEST(SolveField, LabelsAgreeingFragmentsWithTheirCandidates) {
  std::vector<Fragment> fragments(2);
  const FragmentForest forest = FragmentForest::FromFragments(fragments);
  // Two fragments tracing different arcs under the same transform.
  const std::vector<Candidate> candidates = {Vote(0, 0.9, {100, 100}, {0, 15}),
                                             Vote(1, 0.9, {100, 100}, {60, 75})};
  HypothesisField hf =
      SelectLabels(candidates, AtCentre(), 100.0, HypothesisOptions(), PotentialOptions());
  ASSERT_TRUE(BuildField(fragments, forest, 128, 100.0, PotentialOptions(), &hf).ok());
  const DetectOptions o;
  Result<AppendedField> appended = Append(hf.field, o.append);
  ASSERT_TRUE(appended.ok());
  Result<std::vector<int>> states = SolveField(*appended, o, 0);
  ASSERT_TRUE(states.ok()) << states.status().ToString();
  EXPECT_EQ((*states)[static_cast<size_t>(hf.node_of.at(0))], 1);
  EXPECT_EQ((*states)[static_cast<size_t>(hf.node_of.at(1))], 1);
}

}  // namespace
}  // namespace msrf
