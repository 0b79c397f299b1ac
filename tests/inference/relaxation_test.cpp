#include "msrf/inference/relaxation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "field/test_fields.h"
#include "msrf/core/parallel.h"

namespace msrf {
namespace {

Solution RunRelaxation(const RandomField& field, const RelaxationOptions& options = {},
                       const SolverObserver& observer = {}) {
  auto solver = CreateRelaxationSolver(options);
  EXPECT_TRUE(solver.ok());
  auto solution = (*solver)->Solve(field, observer);
  EXPECT_TRUE(solution.ok()) << solution.status().ToString();
  return std::move(solution).value();
}

TEST(RelaxationLabeling, NeverDecreasesAverageLocalConsistency) {
  Rng rng(7);
  testing::RandomFieldSpec spec;
  spec.num_variables = 30;
  spec.max_labels = 5;
  spec.edge_probability = 0.2;
  int iterations_checked = 0;
  for (int instance = 0; instance < 20; ++instance) {
    const RandomField field = testing::MakeRandomField(spec, rng);
    for (double unary_weight : {0.0, 1.0}) {
      RelaxationOptions options;
      options.unary_weight = unary_weight;
      options.max_iterations = 200;
      std::vector<double> consistency;
      const Solution solution = RunRelaxation(field, options, [&](const IterationInfo& info) {
        consistency.push_back(info.average_consistency);
        return ObserverDecision::kContinue;
      });
      consistency.push_back(solution.summary.average_consistency);
      for (size_t t = 1; t < consistency.size(); ++t) {
        ASSERT_GE(consistency[t], consistency[t - 1] - 1e-5 * std::fabs(consistency[t - 1]))
            << "instance " << instance << ", iteration " << t;
      }
      iterations_checked += static_cast<int>(consistency.size());
      // p stays a distribution per variable.
      for (int i = 0; i < field.num_variables(); ++i) {
        double sum = 0.0;
        for (int a = 0; a < field.num_labels(i); ++a) {
          sum += solution.probabilities[field.label_offset(i) + a];
        }
        EXPECT_NEAR(sum, 1.0, 1e-4);
      }
    }
  }
  EXPECT_GT(iterations_checked, 200);
}

TEST(RelaxationLabeling, RecoversAPlantedConsistentLabelling) {
  Rng rng(11);
  const int n = 40;
  const int labels = 4;
  std::vector<int> planted(n);
  RandomField field;
  for (int i = 0; i < n; ++i) {
    planted[i] = rng.UniformInt(0, labels - 1);
    field.AddVariable(testing::RandomValues(rng, labels, 0.0, 0.3));
  }
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (rng.Uniform() >= 0.25) continue;
      std::vector<float> block = testing::RandomValues(rng, labels * labels, 0.0, 0.2);
      block[planted[i] * labels + planted[j]] = 1.0f;
      ASSERT_TRUE(field.AddEdge(i, j, block).ok());
    }
  }
  const Solution solution = RunRelaxation(field);
  EXPECT_EQ(solution.labelling, planted);
  EXPECT_EQ(solution.summary.termination, TerminationReason::kConverged);
  EXPECT_DOUBLE_EQ(solution.summary.score, field.Score(planted));
}

TEST(RelaxationLabeling, GivesBitIdenticalProbabilitiesOnOneAndTwoThreads) {
  Rng rng(3);
  testing::RandomFieldSpec spec;
  spec.num_variables = 3000;
  spec.min_labels = 3;
  spec.max_labels = 12;
  spec.edge_probability = 6.0 / spec.num_variables;
  const RandomField field = testing::MakeRandomField(spec, rng);
  RelaxationOptions options;
  options.max_iterations = 30;
  Solution one;
  Solution two;
  {
    ThreadLimit limit(1);
    one = RunRelaxation(field, options);
  }
  {
    ThreadLimit limit(2);
    two = RunRelaxation(field, options);
  }
  ASSERT_EQ(one.probabilities.size(), two.probabilities.size());
  EXPECT_EQ(std::memcmp(one.probabilities.data(), two.probabilities.data(),
                        one.probabilities.size() * sizeof(double)),
            0);
  EXPECT_EQ(one.labelling, two.labelling);
  EXPECT_EQ(one.summary.iterations, two.summary.iterations);
  EXPECT_EQ(one.summary.average_consistency, two.summary.average_consistency);
}

// The documented link between A(p) and the score: at a labelling (one-hot p) and
// unary_weight 1, A = 2 (S(x) - sum_i min_a u_i(a)).
TEST(RelaxationSweep, AverageConsistencyAtALabellingIsTwiceTheShiftedScore) {
  Rng rng(17);
  testing::RandomFieldSpec spec;
  spec.num_variables = 12;
  spec.max_labels = 4;
  const RandomField field = testing::MakeRandomField(spec, rng);
  std::vector<float> shifted(static_cast<size_t>(field.total_labels()));
  double min_sum = 0.0;
  for (int i = 0; i < field.num_variables(); ++i) {
    const float* u = field.unary(i);
    const float lo = *std::min_element(u, u + field.num_labels(i));
    min_sum += lo;
    for (int a = 0; a < field.num_labels(i); ++a) shifted[field.label_offset(i) + a] = u[a] - lo;
  }
  RelaxationWorkspace workspace;
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<int> x(static_cast<size_t>(field.num_variables()));
    std::vector<float> p(shifted.size(), 0.0f);
    for (int i = 0; i < field.num_variables(); ++i) {
      x[i] = rng.UniformInt(0, field.num_labels(i) - 1);
      p[field.label_offset(i) + x[i]] = 1.0f;
    }
    const RelaxationSweepStats stats =
        RelaxationSweep(field, shifted.data(), 1.0f, p.data(), nullptr, workspace);
    EXPECT_NEAR(stats.average_consistency, 2.0 * (field.Score(x) - min_sum), 1e-4);
  }
}

// Labels that lose shrink geometrically; run far past convergence they would become
// subnormal floats (each operation on them tens of times slower). They end as 0 instead, and
// the labelling is the one the run had settled on.
TEST(RelaxationLabeling, LosingLabelsEndAtZeroNotSubnormal) {
  Rng rng(11);
  testing::RandomFieldSpec spec;
  spec.num_variables = 12;
  spec.max_labels = 6;
  spec.edge_probability = 0.5;
  int zeros = 0;
  for (int instance = 0; instance < 5; ++instance) {
    const RandomField field = testing::MakeRandomField(spec, rng);
    RelaxationOptions options;
    options.tolerance = 0.0;  // every sweep up to the cap
    options.max_iterations = 3000;
    const Solution long_run = RunRelaxation(field, options);
    options.max_iterations = 300;
    const Solution short_run = RunRelaxation(field, options);
    EXPECT_EQ(long_run.labelling, short_run.labelling) << "instance " << instance;
    for (double p : long_run.probabilities) {
      const auto f = static_cast<float>(p);
      EXPECT_NE(std::fpclassify(f), FP_SUBNORMAL) << p;
      EXPECT_TRUE(f == 0.0F || f >= 1e-30F) << p;
      zeros += f == 0.0F;
    }
  }
  EXPECT_GT(zeros, 0);  // some labels did lose
}

TEST(RelaxationLabeling, RefusesNegativeCompatibilities) {
  RandomField field;
  field.AddVariable({0.f, 0.f});
  field.AddVariable({0.f, 0.f});
  ASSERT_TRUE(field.AddEdge(0, 1, {1.f, 0.f, -0.1f, 1.f}).ok());
  auto solver = CreateRelaxationSolver();
  ASSERT_TRUE(solver.ok());
  const auto result = (*solver)->Solve(field);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("negative"), std::string::npos)
      << result.status().ToString();
}

TEST(RelaxationLabeling, RefusesNonFiniteUnaries) {
  RandomField field;
  field.AddVariable({0.f, std::nanf("")});
  auto solver = CreateRelaxationSolver();
  EXPECT_NE((*solver)->Solve(field).status().message().find("not finite"), std::string::npos);
}

TEST(RelaxationLabeling, StopsWhenTheObserverSaysSo) {
  Rng rng(5);
  const RandomField field = testing::MakeRandomField({}, rng);
  RelaxationOptions options;
  options.tolerance = 0.0;
  const Solution solution = RunRelaxation(field, options, [](const IterationInfo& info) {
    return info.iteration >= 3 ? ObserverDecision::kStop : ObserverDecision::kContinue;
  });
  EXPECT_EQ(solution.summary.iterations, 3);
  EXPECT_EQ(solution.summary.termination, TerminationReason::kStoppedByObserver);
}

TEST(RelaxationOptions, ValidateNamesTheBadField) {
  RelaxationOptions options;
  options.tolerance = -1;
  EXPECT_NE(options.Validate().message().find("tolerance"), std::string::npos);
  options = {};
  options.max_iterations = 0;
  EXPECT_NE(CreateRelaxationSolver(options).status().message().find("max_iterations"),
            std::string::npos);
  options = {};
  options.unary_weight = -2;
  EXPECT_NE(options.Validate().message().find("unary_weight"), std::string::npos);
}

}  // namespace
}  // namespace msrf
