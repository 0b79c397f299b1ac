#include "msrf/inference/mcmc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "field/test_fields.h"
#include "msrf/core/parallel.h"
#include "msrf/inference/brute_force.h"

namespace msrf {
namespace {

Solution RunMcmc(const RandomField& field, const McmcOptions& options,
                 const SolverObserver& observer = {}) {
  auto solver = CreateMcmcSolver(options);
  EXPECT_TRUE(solver.ok()) << solver.status().ToString();
  auto solution = (*solver)->Solve(field, observer);
  EXPECT_TRUE(solution.ok()) << solution.status().ToString();
  return std::move(solution).value();
}

std::vector<double> ExactMarginals(const RandomField& field) {
  auto solver = CreateBruteForceSolver();
  return (*solver)->Solve(field).value().probabilities;
}

RandomField SignedField(uint64_t seed, int n) {
  Rng rng(seed);
  testing::RandomFieldSpec spec;
  spec.num_variables = n;
  spec.pairwise_lo = -1.0;
  spec.min_labels = 2;
  spec.max_labels = 3;
  return testing::MakeRandomField(spec, rng);
}

// Tolerance: 8 chains x 4000 counted sweeps; the standard error of a marginal is below
// 0.5 / sqrt(32000 / autocorrelation time), well under 0.03 on these 5-variable fields.
TEST(Mcmc, GibbsMarginalsMatchExactMarginalsWithinTolerance) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    const RandomField field = SignedField(seed, 5);
    McmcOptions options;
    options.num_chains = 8;
    options.sample_sweeps = 4100;
    options.burn_in_sweeps = 100;
    options.seed = seed;
    const Solution solution = RunMcmc(field, options);
    const std::vector<double> exact = ExactMarginals(field);
    ASSERT_EQ(solution.probabilities.size(), exact.size());
    for (size_t k = 0; k < exact.size(); ++k) {
      EXPECT_NEAR(solution.probabilities[k], exact[k], 0.03) << "seed " << seed << ", entry " << k;
    }
  }
}

TEST(Mcmc, MetropolisMarginalsMatchExactMarginalsWithinTolerance) {
  for (uint64_t seed : {4u, 5u}) {
    const RandomField field = SignedField(seed, 5);
    McmcOptions options;
    options.kernel = McmcKernel::kMetropolis;
    options.num_chains = 8;
    options.sample_sweeps = 6100;
    options.burn_in_sweeps = 100;
    options.seed = seed;
    const Solution solution = RunMcmc(field, options);
    const std::vector<double> exact = ExactMarginals(field);
    for (size_t k = 0; k < exact.size(); ++k) {
      EXPECT_NEAR(solution.probabilities[k], exact[k], 0.04) << "seed " << seed << ", entry " << k;
    }
  }
}

TEST(Mcmc, AnnealingReachesTheBruteForceMapOnAtLeastNinetyPercentOfSmallFields) {
  auto brute_force = CreateBruteForceSolver();
  const int instances = 50;
  for (McmcKernel kernel : {McmcKernel::kGibbs, McmcKernel::kMetropolis}) {
    int hits = 0;
    for (int instance = 0; instance < instances; ++instance) {
      const RandomField field = SignedField(100 + static_cast<uint64_t>(instance), 8);
      McmcOptions options;
      options.kernel = kernel;
      options.num_chains = 4;
      options.anneal_sweeps = 150;
      options.sample_sweeps = 0;
      options.initial_temperature = 5.0;
      options.final_temperature = 0.05;
      options.seed = static_cast<uint64_t>(instance);
      const Solution solution = RunMcmc(field, options);
      const double map = (*brute_force)->Solve(field).value().summary.score;
      EXPECT_LE(solution.summary.score, map + 1e-9);
      EXPECT_DOUBLE_EQ(solution.summary.score, field.Score(solution.labelling));
      if (solution.summary.score >= map - 1e-9) ++hits;
    }
    EXPECT_GE(hits, instances * 9 / 10)
        << "kernel " << static_cast<int>(kernel) << ": " << hits << " of " << instances;
  }
}

TEST(Mcmc, SameSeedGivesTheSameResult) {
  const RandomField field = SignedField(9, 12);
  McmcOptions options;
  options.seed = 42;
  options.anneal_sweeps = 20;
  options.initial_temperature = 3.0;
  const Solution a = RunMcmc(field, options);
  const Solution b = RunMcmc(field, options);
  EXPECT_EQ(a.labelling, b.labelling);
  EXPECT_EQ(a.probabilities, b.probabilities);
  options.seed = 43;
  const Solution c = RunMcmc(field, options);
  EXPECT_NE(a.probabilities, c.probabilities);
}

TEST(Mcmc, GivesIdenticalResultsOnOneAndTwoThreads) {
  Rng rng(12);
  testing::RandomFieldSpec spec;
  spec.num_variables = 300;
  spec.max_labels = 6;
  spec.edge_probability = 0.02;
  spec.pairwise_lo = -1.0;
  const RandomField field = testing::MakeRandomField(spec, rng);
  for (McmcKernel kernel : {McmcKernel::kGibbs, McmcKernel::kMetropolis}) {
    McmcOptions options;
    options.kernel = kernel;
    options.num_chains = 5;
    options.anneal_sweeps = 10;
    options.sample_sweeps = 30;
    options.burn_in_sweeps = 5;
    options.initial_temperature = 4.0;
    Solution one;
    Solution two;
    {
      ThreadLimit limit(1);
      one = RunMcmc(field, options);
    }
    {
      ThreadLimit limit(2);
      two = RunMcmc(field, options);
    }
    EXPECT_EQ(one.labelling, two.labelling);
    EXPECT_EQ(one.probabilities, two.probabilities);
    EXPECT_EQ(one.summary.score, two.summary.score);
  }
}

TEST(Mcmc, ObserverSeesEverySweepWithItsTemperature) {
  const RandomField field = SignedField(2, 6);
  McmcOptions options;
  options.anneal_sweeps = 5;
  options.sample_sweeps = 3;
  options.burn_in_sweeps = 0;
  options.initial_temperature = 8.0;
  options.final_temperature = 0.5;
  std::vector<double> temperatures;
  const Solution solution = RunMcmc(field, options, [&](const IterationInfo& info) {
    temperatures.push_back(info.temperature);
    EXPECT_EQ(info.iteration, static_cast<int>(temperatures.size()));
    return ObserverDecision::kContinue;
  });
  ASSERT_EQ(temperatures.size(), 8u);
  EXPECT_DOUBLE_EQ(temperatures[0], 8.0);
  EXPECT_NEAR(temperatures[2], 2.0, 1e-12);
  EXPECT_NEAR(temperatures[4], 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(temperatures[7], 0.5);
  EXPECT_EQ(solution.summary.termination, TerminationReason::kScheduleCompleted);
}

TEST(McmcOptions, ValidateNamesTheBadField) {
  McmcOptions options;
  options.num_chains = 0;
  EXPECT_NE(options.Validate().message().find("num_chains"), std::string::npos);
  options = {};
  options.final_temperature = 0.0;
  EXPECT_NE(options.Validate().message().find("final_temperature"), std::string::npos);
  options = {};
  options.burn_in_sweeps = options.sample_sweeps;
  EXPECT_NE(CreateMcmcSolver(options).status().message().find("burn_in_sweeps"), std::string::npos);
}

}  // namespace
}  // namespace msrf
