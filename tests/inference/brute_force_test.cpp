#include "msrf/inference/brute_force.h"

#include <gtest/gtest.h>

#include <cmath>

#include "field/test_fields.h"
#include "msrf/inference/icm.h"
#include "msrf/inference/mcmc.h"
#include "msrf/inference/relaxation.h"

namespace msrf {
namespace {

TEST(BruteForce, FindsTheBestLabellingAndExactMarginals) {
  RandomField field;
  field.AddVariable({0.f, 1.f});
  field.AddVariable({0.f, 0.f});
  ASSERT_TRUE(field.AddEdge(0, 1, {2.f, 0.f, 0.f, 0.5f}).ok());
  auto solver = CreateBruteForceSolver();
  const auto solution = (*solver)->Solve(field);
  ASSERT_TRUE(solution.ok());
  EXPECT_EQ(solution->labelling, (std::vector<int>{0, 0}));
  EXPECT_DOUBLE_EQ(solution->summary.score, 2.0);
  // Scores: (0,0) 2, (0,1) 0, (1,0) 1, (1,1) 1.5.
  const double z = std::exp(2.0) + 1.0 + std::exp(1.0) + std::exp(1.5);
  EXPECT_NEAR(solution->probabilities[0], (std::exp(2.0) + 1.0) / z, 1e-12);
  EXPECT_NEAR(solution->probabilities[2], (std::exp(2.0) + std::exp(1.0)) / z, 1e-12);
}

TEST(BruteForce, RefusesFieldsWithTooManyLabellings) {
  RandomField field;
  for (int i = 0; i < 30; ++i) field.AddVariable(4);
  BruteForceOptions options;
  options.max_labellings = 1000;
  auto solver = CreateBruteForceSolver(options);
  const auto solution = (*solver)->Solve(field);
  ASSERT_FALSE(solution.ok());
  EXPECT_EQ(solution.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(solution.status().message().find("max_labellings"), std::string::npos);
}

// The OpenGM-style harness: no solver beats brute force, each reports the score of the
// labelling it returns.
TEST(EverySolver, ReportsTheScoreOfItsLabellingAndNeverBeatsBruteForce) {
  std::vector<std::unique_ptr<Solver>> solvers;
  solvers.push_back(std::move(CreateRelaxationSolver()).value());
  solvers.push_back(std::move(CreateIcmSolver()).value());
  McmcOptions mcmc;
  mcmc.anneal_sweeps = 50;
  mcmc.initial_temperature = 3.0;
  mcmc.final_temperature = 0.1;
  mcmc.sample_sweeps = 0;
  solvers.push_back(std::move(CreateMcmcSolver(mcmc)).value());
  auto brute_force = std::move(CreateBruteForceSolver()).value();
  Rng rng(31);
  for (int instance = 0; instance < 20; ++instance) {
    const RandomField field = testing::MakeRandomField({}, rng);
    const double map = brute_force->Solve(field).value().summary.score;
    for (const auto& solver : solvers) {
      const auto solution = solver->Solve(field);
      ASSERT_TRUE(solution.ok()) << solver->name();
      EXPECT_LE(solution->summary.score, map + 1e-9) << solver->name();
      EXPECT_DOUBLE_EQ(solution->summary.score, field.Score(solution->labelling));
      EXPECT_STREQ(solution->summary.solver.c_str(), solver->name());
    }
  }
}

}  // namespace
}  // namespace msrf
