#include "msrf/inference/icm.h"

#include <limits>
#include <string>
#include <vector>

#include "internal.h"
#include "msrf/core/check.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

class IcmSolver final : public Solver {
 public:
  explicit IcmSolver(const IcmOptions& options) : options_(options) {}
  const char* name() const override { return "icm"; }

  Result<Solution> Solve(const RandomField& field, const SolverObserver& observer) const override {
    const Stopwatch clock;
    MSRF_RETURN_IF_ERROR(field.Validate().WithContext("icm"));
    const int n = field.num_variables();
    Solution solution;
    SolverSummary& summary = solution.summary;
    summary.solver = name();
    summary.termination = TerminationReason::kMaxIterations;
    std::vector<int>& x = solution.labelling;
    x.assign(static_cast<size_t>(n), 0);
    for (int i = 0; i < n; ++i) {
      const float* u = field.unary(i);
      for (int a = 1; a < field.num_labels(i); ++a) {
        if (u[a] > u[x[i]]) x[i] = a;
      }
    }
    std::vector<double> local(static_cast<size_t>(internal::MaxLabels(field)));
    for (int iteration = 1; iteration <= options_.max_iterations; ++iteration) {
      int changed = 0;
      for (int i = 0; i < n; ++i) {
        internal::LocalScores(field, i, x, local.data());
        int best = x[i];
        for (int a = 0; a < field.num_labels(i); ++a) {
          if (local[a] > local[best]) best = a;
        }
        if (best != x[i]) {
          x[i] = best;
          ++changed;
        }
      }
      summary.iterations = iteration;
      const bool converged = changed == 0;
      if (converged) summary.termination = TerminationReason::kConverged;
      if (observer) {
        IterationInfo info;
        info.iteration = iteration;
        info.score = field.Score(x);
        info.average_consistency = std::numeric_limits<double>::quiet_NaN();
        info.max_change = n > 0 ? static_cast<double>(changed) / n : 0.0;
        info.elapsed_seconds = clock.Seconds();
        if (observer(info) == ObserverDecision::kStop && !converged) {
          summary.termination = TerminationReason::kStoppedByObserver;
          break;
        }
      }
      if (converged) break;
    }
    summary.score = field.Score(x);
    summary.energy = -summary.score;
    summary.average_consistency = std::numeric_limits<double>::quiet_NaN();
    summary.wall_time_seconds = clock.Seconds();
    return solution;
  }

 private:
  IcmOptions options_;
};

}  // namespace

Status IcmOptions::Validate() const {
  return CheckRange("icm.max_iterations", max_iterations, 1, 1'000'000);
}

Result<std::unique_ptr<Solver>> CreateIcmSolver(const IcmOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<Solver>(std::make_unique<IcmSolver>(options));
}

}  // namespace msrf
