#include "msrf/field/random_field.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace msrf {
namespace {

RandomField TwoVariables() {
  RandomField field;
  field.AddVariable({0.5f, 1.0f});         // 2 labels
  field.AddVariable({0.0f, 2.0f, -1.0f});  // 3 labels
  return field;
}

TEST(RandomField, ScoresUnariesPlusPairwise) {
  RandomField field = TwoVariables();
  ASSERT_TRUE(field.AddEdge(0, 1, {1, 2, 3, 4, 5, 6}).ok());
  EXPECT_DOUBLE_EQ(field.Score({0, 0}), 0.5 + 0.0 + 1.0);
  EXPECT_DOUBLE_EQ(field.Score({1, 2}), 1.0 - 1.0 + 6.0);
  EXPECT_DOUBLE_EQ(field.Energy({1, 2}), -6.0);
}

TEST(RandomField, StoresAReversedEdgeAsTheTransposeOfItsBlock) {
  RandomField forward = TwoVariables();
  RandomField reversed = TwoVariables();
  ASSERT_TRUE(forward.AddEdge(0, 1, {1, 2, 3, 4, 5, 6}).ok());
  // Block of (1, 0): 3 x 2, entry (b, a) = forward (a, b).
  ASSERT_TRUE(reversed.AddEdge(1, 0, {1, 4, 2, 5, 3, 6}).ok());
  ASSERT_EQ(reversed.num_edges(), 1);
  EXPECT_EQ(reversed.edge(0).first, 0);
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 3; ++b) EXPECT_EQ(forward.pairwise(0, a, b), reversed.pairwise(0, a, b));
  }
  EXPECT_EQ(reversed.FindEdge(1, 0), 0);
  EXPECT_EQ(reversed.Neighbors(1).size(), 1u);
  EXPECT_FALSE(reversed.Neighbors(1)[0].is_first);
}

TEST(RandomField, RejectsABlockOfTheWrongSize) {
  RandomField field = TwoVariables();
  const Status status = field.AddEdge(0, 1, {1, 2, 3});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("expected 2 x 3"), std::string::npos) << status.ToString();
}

TEST(RandomField, RejectsSelfEdgesDuplicatesAndUnknownVariables) {
  RandomField field = TwoVariables();
  EXPECT_NE(field.AddEdge(1, 1, std::vector<float>(9, 0.f)).message().find("self-edge"),
            std::string::npos);
  EXPECT_NE(field.AddEdge(0, 5, {}).message().find("outside"), std::string::npos);
  ASSERT_TRUE(field.AddEdge(0, 1, std::vector<float>(6, 0.f)).ok());
  EXPECT_NE(field.AddEdge(1, 0, std::vector<float>(6, 0.f)).message().find("duplicate"),
            std::string::npos);
}

TEST(RandomField, ValidateNamesNonFiniteValues) {
  RandomField field = TwoVariables();
  ASSERT_TRUE(field.Validate().ok());
  ASSERT_TRUE(field.SetUnary(1, {0.f, std::numeric_limits<float>::quiet_NaN(), 0.f}).ok());
  const Status status = field.Validate();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("variable 1, label 1 is not finite"), std::string::npos)
      << status.ToString();

  RandomField inf = TwoVariables();
  ASSERT_TRUE(inf.AddEdge(0, 1, {0, 0, 0, 0, std::numeric_limits<float>::infinity(), 0}).ok());
  EXPECT_NE(inf.Validate().message().find("labels (1, 1)"), std::string::npos);
}

TEST(RandomField, ValidateNonNegativePairwiseNamesTheNegativeEntry) {
  RandomField field = TwoVariables();
  ASSERT_TRUE(field.AddEdge(0, 1, {0, 0, 0, 0, 0, -0.5f}).ok());
  const Status status = field.ValidateNonNegativePairwise();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("negative"), std::string::npos);
  EXPECT_NE(status.message().find("(1, 2)"), std::string::npos) << status.ToString();
}

TEST(RandomField, CheckLabellingRejectsWrongLengthAndOutOfRangeLabels) {
  RandomField field = TwoVariables();
  EXPECT_TRUE(field.CheckLabelling({1, 2}).ok());
  EXPECT_NE(field.CheckLabelling({1}).message().find("1 entries"), std::string::npos);
  const Status status = field.CheckLabelling({0, 3});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("label 3 of variable 1"), std::string::npos);
  EXPECT_FALSE(field.CheckedScore({-1, 0}).ok());
  EXPECT_DOUBLE_EQ(field.CheckedScore({1, 1}).value(), 3.0);
}

TEST(RandomField, RejectsAVariableWithoutLabels) {
  RandomField field;
  field.AddVariable(0);
  EXPECT_NE(field.Validate().message().find("no labels"), std::string::npos);
}

}  // namespace
}  // namespace msrf
