#include "msrf/inference/icm.h"

#include <gtest/gtest.h>

#include "field/test_fields.h"
#include "msrf/inference/brute_force.h"

namespace msrf {
namespace {

TEST(Icm, NeverDecreasesTheScoreAndConverges) {
  Rng rng(21);
  testing::RandomFieldSpec spec;
  spec.num_variables = 50;
  spec.max_labels = 5;
  spec.edge_probability = 0.1;
  spec.pairwise_lo = -1.0;
  auto solver = CreateIcmSolver();
  ASSERT_TRUE(solver.ok());
  for (int instance = 0; instance < 10; ++instance) {
    const RandomField field = testing::MakeRandomField(spec, rng);
    std::vector<double> scores;
    const auto solution = (*solver)->Solve(field, [&](const IterationInfo& info) {
      scores.push_back(info.score);
      return ObserverDecision::kContinue;
    });
    ASSERT_TRUE(solution.ok());
    for (size_t t = 1; t < scores.size(); ++t) EXPECT_GE(scores[t], scores[t - 1]);
    EXPECT_EQ(solution->summary.termination, TerminationReason::kConverged);
    EXPECT_DOUBLE_EQ(solution->summary.score, field.Score(solution->labelling));
  }
}

TEST(Icm, FindsTheBestUnaryLabelsWhenThereAreNoEdges) {
  RandomField field;
  field.AddVariable({0.1f, 0.9f, 0.3f});
  field.AddVariable({-2.f, -1.f});
  auto solver = CreateIcmSolver();
  const auto solution = (*solver)->Solve(field);
  ASSERT_TRUE(solution.ok());
  EXPECT_EQ(solution->labelling, (std::vector<int>{1, 1}));
}

TEST(IcmOptions, ValidateNamesTheBadField) {
  IcmOptions options;
  options.max_iterations = -1;
  EXPECT_NE(CreateIcmSolver(options).status().message().find("max_iterations"), std::string::npos);
}

}  // namespace
}  // namespace msrf
