#include "msrf/field/multiscale_field.h"

#include <gtest/gtest.h>

#include <cmath>

#include "field/test_fields.h"

namespace msrf {
namespace {

using testing::C;
using testing::S;

// Tree 0: node 0 (level 1) with children 1, 2 (level 0). Tree 1: node 3 (level 0).
MultiscaleField SmallField() {
  MultiscaleField field;
  field.AddNode(1, {1.0f, 2.0f});
  field.AddNode(0, {0.5f, 0.25f});
  field.AddNode(0, {0.125f});
  field.AddNode(0, {3.0f, 4.0f});
  EXPECT_TRUE(field.SetParent(1, 0).ok());
  EXPECT_TRUE(field.SetParent(2, 0).ok());
  return field;
}

TEST(MultiscaleField, BuildsTheForestOfItsParentLinks) {
  const auto forest = SmallField().Forest();
  ASSERT_TRUE(forest.ok()) << forest.status().ToString();
  EXPECT_EQ(forest->roots, (std::vector<int>{0, 3}));
  EXPECT_EQ(forest->children[0], (std::vector<int>{1, 2}));
  EXPECT_EQ(forest->tree_of, (std::vector<int>{0, 0, 0, 1}));
  EXPECT_EQ(forest->tree_nodes[0], (std::vector<int>{0, 1, 2}));
}

TEST(MultiscaleField, AcceptsCutsAndRejectsEverythingElse) {
  const MultiscaleField field = SmallField();
  EXPECT_TRUE(field.CheckConsistent({1, C, C, 0}).ok());
  EXPECT_TRUE(field.CheckConsistent({S, 0, 0, 1}).ok());
  EXPECT_NE(field.CheckConsistent({S, C, 0, 1}).message().find("covered but its parent"),
            std::string::npos);
  EXPECT_NE(field.CheckConsistent({0, 1, C, 1}).message().find("not covered"), std::string::npos);
  EXPECT_NE(field.CheckConsistent({0, C, C, C}).message().find("root and is covered"),
            std::string::npos);
  EXPECT_NE(field.CheckConsistent({S, 0, 0, S}).message().find("no children"), std::string::npos);
  EXPECT_NE(field.CheckConsistent({S, 0, 1, 0}).message().find("outside"), std::string::npos);
  EXPECT_FALSE(field.CheckConsistent({S, 0, 0}).ok());
}

TEST(MultiscaleField, ScoresCutNodesWithTheMeanOfPairwiseTermsBetweenTrees) {
  MultiscaleField field = SmallField();
  ASSERT_TRUE(field.AddEdge(1, 2, {10.0f, 20.0f}).ok());  // within tree 0
  ASSERT_TRUE(field.AddEdge(0, 3, {1, 2, 3, 4}).ok());    // root of tree 0 to tree 1
  ASSERT_TRUE(field.AddEdge(1, 3, {5, 6, 7, 8}).ok());
  ASSERT_TRUE(field.AddEdge(2, 3, {9, 11}).ok());
  // Root labelled 1: unaries 2 + 4, between trees only edge (0, 3): r(1, 1) = 4.
  EXPECT_DOUBLE_EQ(field.Score({1, C, C, 1}).value(), 2.0 + 4.0 + 4.0);
  // Split: unaries 0.25 + 0.125 + 3, within r12(1, 0) = 20, between mean(r13(1,0), r23(0,0))
  // = mean(7, 9) = 8.
  EXPECT_DOUBLE_EQ(field.Score({S, 1, 0, 0}).value(), 0.25 + 0.125 + 3.0 + 20.0 + 8.0);
  EXPECT_FALSE(field.Score({S, C, C, 0}).ok());
}

TEST(MultiscaleField, RejectsACycleInTheParentLinks) {
  MultiscaleField field;
  field.AddNode(0, {0.f});
  field.AddNode(1, {0.f});
  ASSERT_TRUE(field.SetParent(0, 1).ok());
  ASSERT_TRUE(field.SetParent(1, 0).ok());
  const Status status = field.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("cycle"), std::string::npos) << status.ToString();
  EXPECT_FALSE(field.Forest().ok());
}

TEST(MultiscaleField, RejectsAParentThatIsNotOneLevelUp) {
  MultiscaleField field;
  field.AddNode(0, {0.f});
  field.AddNode(2, {0.f});
  ASSERT_TRUE(field.SetParent(0, 1).ok());
  const Status status = field.Validate();
  EXPECT_NE(status.message().find("expected level 1"), std::string::npos) << status.ToString();
}

TEST(MultiscaleField, RejectsUnknownParentsAndNegativeLevels) {
  MultiscaleField field;
  field.AddNode(-1, {0.f});
  EXPECT_FALSE(field.SetParent(0, 7).ok());
  EXPECT_FALSE(field.SetParent(3, 0).ok());
  EXPECT_NE(field.Validate().message().find("negative level"), std::string::npos);
}

TEST(MultiscaleField, PassesOnPotentialErrors) {
  MultiscaleField field = SmallField();
  EXPECT_NE(field.AddEdge(0, 1, {1.0f}).message().find("expected 2 x 2"), std::string::npos);
  MultiscaleField nan;
  nan.AddNode(0, {std::nanf("")});
  EXPECT_NE(nan.Validate().message().find("not finite"), std::string::npos);
}

}  // namespace
}  // namespace msrf
