#include "msrf/inference/mcmc.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "internal.h"
#include "msrf/core/check.h"
#include "msrf/core/parallel.h"
#include "msrf/core/random.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

struct Chain {
  explicit Chain(uint64_t seed) : rng(seed) {}
  Rng rng;
  std::vector<int> x;
  std::vector<double> local;  // scratch, max label count
  std::vector<int> best;
  double best_score = -std::numeric_limits<double>::infinity();
  std::vector<int64_t> counts;  // per (variable, label), sample sweeps after burn-in
  int changed = 0;              // variables that changed in the last sweep
};

class McmcSolver final : public Solver {
 public:
  explicit McmcSolver(const McmcOptions& options) : options_(options) {}
  const char* name() const override { return "mcmc"; }
  Result<Solution> Solve(const RandomField& field, const SolverObserver& observer) const override;

 private:
  double Temperature(int sweep) const {
    if (sweep >= options_.anneal_sweeps) return options_.final_temperature;
    if (options_.anneal_sweeps == 1) return options_.initial_temperature;
    const double t = static_cast<double>(sweep) / (options_.anneal_sweeps - 1);
    return options_.initial_temperature *
           std::pow(options_.final_temperature / options_.initial_temperature, t);
  }
  void Sweep(const RandomField& field, double temperature, Chain& chain) const;

  McmcOptions options_;
};

void McmcSolver::Sweep(const RandomField& field, double temperature, Chain& chain) const {
  chain.changed = 0;
  const double inv_t = 1.0 / temperature;
  for (int i = 0; i < field.num_variables(); ++i) {
    const int li = field.num_labels(i);
    if (li == 1) continue;
    const int old = chain.x[i];
    int next = old;
    if (options_.kernel == McmcKernel::kGibbs) {
      double* local = chain.local.data();
      internal::LocalScores(field, i, chain.x, local);
      double top = local[0];
      for (int a = 1; a < li; ++a) top = std::max(top, local[a]);
      double sum = 0.0;
      for (int a = 0; a < li; ++a) sum += (local[a] = std::exp((local[a] - top) * inv_t));
      double u = chain.rng.Uniform() * sum;
      next = li - 1;
      for (int a = 0; a < li; ++a) {
        u -= local[a];
        if (u < 0.0) {
          next = a;
          break;
        }
      }
    } else {
      int proposal = static_cast<int>(chain.rng.Below(static_cast<uint64_t>(li - 1)));
      if (proposal >= old) ++proposal;
      double delta = static_cast<double>(field.unary(i, proposal)) - field.unary(i, old);
      for (const RandomField::Incidence& inc : field.Neighbors(i)) {
        const int xj = chain.x[inc.neighbor];
        delta += static_cast<double>(internal::PairwiseFrom(field, inc, proposal, xj)) -
                 internal::PairwiseFrom(field, inc, old, xj);
      }
      if (delta >= 0.0 || chain.rng.Uniform() < std::exp(delta * inv_t)) next = proposal;
    }
    if (next != old) {
      chain.x[i] = next;
      ++chain.changed;
    }
  }
}

Result<Solution> McmcSolver::Solve(const RandomField& field, const SolverObserver& observer) const {
  const Stopwatch clock;
  MSRF_RETURN_IF_ERROR(field.Validate().WithContext("mcmc"));
  const int n = field.num_variables();
  const int num_chains = options_.num_chains;
  std::vector<Chain> chains;
  chains.reserve(static_cast<size_t>(num_chains));
  for (int c = 0; c < num_chains; ++c) {
    chains.emplace_back(DeriveSeed(options_.seed, static_cast<uint64_t>(c)));
    Chain& chain = chains.back();
    chain.x.resize(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      chain.x[i] = static_cast<int>(chain.rng.Below(static_cast<uint64_t>(field.num_labels(i))));
    }
    chain.local.resize(static_cast<size_t>(internal::MaxLabels(field)));
    chain.counts.assign(static_cast<size_t>(field.total_labels()), 0);
    chain.best = chain.x;
    chain.best_score = field.Score(chain.x);
  }

  Solution solution;
  SolverSummary& summary = solution.summary;
  summary.solver = name();
  summary.num_threads = MaxThreads();
  summary.termination = TerminationReason::kScheduleCompleted;
  const int total_sweeps = options_.anneal_sweeps + options_.sample_sweeps;
  int counted_sweeps = 0;
  for (int sweep = 0; sweep < total_sweeps; ++sweep) {
    const double temperature = Temperature(sweep);
    const int sample_index = sweep - options_.anneal_sweeps;
    const bool count = sample_index >= options_.burn_in_sweeps;
    ParallelFor(0, static_cast<size_t>(num_chains), [&](size_t c) {
      Chain& chain = chains[c];
      Sweep(field, temperature, chain);
      const double score = field.Score(chain.x);
      if (score > chain.best_score) {
        chain.best_score = score;
        chain.best = chain.x;
      }
      if (count) {
        for (int i = 0; i < n; ++i) ++chain.counts[field.label_offset(i) + chain.x[i]];
      }
    });
    if (count) ++counted_sweeps;
    summary.iterations = sweep + 1;
    if (observer) {
      IterationInfo info;
      info.iteration = sweep + 1;
      info.score = -std::numeric_limits<double>::infinity();
      double changed = 0.0;
      for (const Chain& chain : chains) {
        info.score = std::max(info.score, chain.best_score);
        changed += chain.changed;
      }
      info.average_consistency = std::numeric_limits<double>::quiet_NaN();
      info.max_change = n > 0 ? changed / (static_cast<double>(n) * num_chains) : 0.0;
      info.temperature = temperature;
      info.elapsed_seconds = clock.Seconds();
      if (observer(info) == ObserverDecision::kStop) {
        summary.termination = TerminationReason::kStoppedByObserver;
        break;
      }
    }
  }

  int best_chain = 0;
  for (int c = 1; c < num_chains; ++c) {
    if (chains[c].best_score > chains[best_chain].best_score) best_chain = c;
  }
  solution.labelling = chains[best_chain].best;
  summary.score = chains[best_chain].best_score;
  summary.energy = -summary.score;
  summary.average_consistency = std::numeric_limits<double>::quiet_NaN();
  if (counted_sweeps > 0) {
    solution.probabilities.assign(static_cast<size_t>(field.total_labels()), 0.0);
    const double norm = 1.0 / (static_cast<double>(counted_sweeps) * num_chains);
    for (size_t k = 0; k < solution.probabilities.size(); ++k) {
      int64_t sum = 0;
      for (const Chain& chain : chains) sum += chain.counts[k];
      solution.probabilities[k] = static_cast<double>(sum) * norm;
    }
  }
  summary.wall_time_seconds = clock.Seconds();
  return solution;
}

}  // namespace

Status McmcOptions::Validate() const {
  constexpr int64_t kMax = std::numeric_limits<int>::max();
  MSRF_RETURN_IF_ERROR(CheckRange("mcmc.num_chains", num_chains, 1, 1024));
  MSRF_RETURN_IF_ERROR(CheckRange("mcmc.anneal_sweeps", anneal_sweeps, 0, kMax));
  MSRF_RETURN_IF_ERROR(CheckRange("mcmc.sample_sweeps", sample_sweeps, 0, kMax));
  if (anneal_sweeps + int64_t{sample_sweeps} < 1) {
    return InvalidArgumentError("mcmc.anneal_sweeps + mcmc.sample_sweeps must be >= 1, got 0");
  }
  if (sample_sweeps > 0) {
    MSRF_RETURN_IF_ERROR(CheckRange("mcmc.burn_in_sweeps (below mcmc.sample_sweeps)",
                                    burn_in_sweeps, 0, sample_sweeps - 1));
  }
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("mcmc.initial_temperature", initial_temperature));
  return CheckFinitePositive("mcmc.final_temperature", final_temperature);
}

Result<std::unique_ptr<Solver>> CreateMcmcSolver(const McmcOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<Solver>(std::make_unique<McmcSolver>(options));
}

}  // namespace msrf
