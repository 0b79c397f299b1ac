#include "msrf/inference/brute_force.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "internal.h"
#include "msrf/core/check.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

// Observer granularity: one "iteration" per this many labellings.
constexpr int64_t kLabellingsPerIteration = 1 << 16;

// Advances x to the next labelling in lexicographic order (last variable fastest); false
// after the last one.
bool Next(const RandomField& field, std::vector<int>& x) {
  for (int i = field.num_variables() - 1; i >= 0; --i) {
    if (++x[i] < field.num_labels(i)) return true;
    x[i] = 0;
  }
  return false;
}

class BruteForceSolver final : public Solver {
 public:
  explicit BruteForceSolver(const BruteForceOptions& options) : options_(options) {}
  const char* name() const override { return "brute_force"; }

  Result<Solution> Solve(const RandomField& field, const SolverObserver& observer) const override {
    const Stopwatch clock;
    MSRF_RETURN_IF_ERROR(field.Validate().WithContext("brute force"));
    const int n = field.num_variables();
    int64_t count = 1;
    for (int i = 0; i < n; ++i) {
      count *= field.num_labels(i);
      if (count > options_.max_labellings) {
        return OutOfRangeError("brute force: the field has more than " +
                               std::to_string(options_.max_labellings) +
                               " labellings (BruteForceOptions::max_labellings)");
      }
    }
    Solution solution;
    SolverSummary& summary = solution.summary;
    summary.solver = name();
    summary.termination = TerminationReason::kExhausted;
    std::vector<int> x(static_cast<size_t>(n), 0);
    double best = -std::numeric_limits<double>::infinity();
    int64_t visited = 0;
    do {
      const double s = field.Score(x);
      if (s > best) {
        best = s;
        solution.labelling = x;
      }
      ++visited;
      if (observer && (visited % kLabellingsPerIteration == 0 || visited == count)) {
        IterationInfo info;
        info.iteration =
            static_cast<int>((visited + kLabellingsPerIteration - 1) / kLabellingsPerIteration);
        info.score = best;
        info.average_consistency = std::numeric_limits<double>::quiet_NaN();
        info.elapsed_seconds = clock.Seconds();
        summary.iterations = info.iteration;
        if (observer(info) == ObserverDecision::kStop && visited < count) {
          summary.termination = TerminationReason::kStoppedByObserver;
          break;
        }
      }
    } while (Next(field, x));
    if (!observer) {
      summary.iterations =
          static_cast<int>((visited + kLabellingsPerIteration - 1) / kLabellingsPerIteration);
    }
    if (options_.compute_marginals && summary.termination == TerminationReason::kExhausted) {
      // Second pass with weights relative to the best score, so exp never overflows.
      std::vector<double>& m = solution.probabilities;
      m.assign(static_cast<size_t>(field.total_labels()), 0.0);
      std::fill(x.begin(), x.end(), 0);
      double z = 0.0;
      do {
        const double w = std::exp((field.Score(x) - best) / options_.temperature);
        z += w;
        for (int i = 0; i < n; ++i) m[field.label_offset(i) + x[i]] += w;
      } while (Next(field, x));
      for (double& v : m) v /= z;
    }
    summary.score = best;
    summary.energy = -best;
    summary.average_consistency = std::numeric_limits<double>::quiet_NaN();
    summary.wall_time_seconds = clock.Seconds();
    return solution;
  }

 private:
  BruteForceOptions options_;
};

}  // namespace

Status BruteForceOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(
      CheckRange("brute_force.max_labellings", max_labellings, 1, int64_t{1'000'000'000}));
  return CheckFinitePositive("brute_force.temperature", temperature);
}

Result<std::unique_ptr<Solver>> CreateBruteForceSolver(const BruteForceOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<Solver>(std::make_unique<BruteForceSolver>(options));
}

}  // namespace msrf
