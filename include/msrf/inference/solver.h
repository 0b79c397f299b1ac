// The interface every msrf inference algorithm implements, and what a run reports.
//
// Solvers maximise the score S(x) = sum_i u_i(x_i) + sum_edges r_ij(x_i, x_j) of a
// RandomField (see random_field.h); energy = -S. Each solver has an Options struct with a
// Validate() that names the bad field, a factory (Create...Solver in its own header) that
// refuses invalid options, and Solve(), which refuses fields it cannot handle with a Status.
//
// Threading: a Solver object is immutable; Solve() may be called from several threads at
// once. Solvers that run in parallel (relaxation labeling, MCMC) give bit-identical results
// for every thread count.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/field/random_field.h"

namespace msrf {

enum class TerminationReason {
  kConverged,          // relaxation: max |dp| < tolerance; ICM: a sweep changed nothing
  kMaxIterations,      // the iteration (sweep) cap was reached first
  kScheduleCompleted,  // MCMC ran all its sweeps
  kExhausted,          // brute force enumerated every labelling
  kStoppedByObserver,  // the observer answered kStop
};
const char* TerminationReasonName(TerminationReason reason);

// What an observer sees after every iteration (sweep) of a solver.
struct IterationInfo {
  int iteration = 0;                 // 1, 2, ...
  double score = 0.0;                // relaxation: S(argmax p); others: best S(x) so far
  double average_consistency = 0.0;  // relaxation: A(p) before this update; NaN otherwise
  // relaxation: max |p_new - p_old|; ICM and MCMC: fraction of variables whose label changed
  // in this sweep (MCMC: mean over chains); brute force: 0.
  double max_change = 0.0;
  double temperature = 1.0;      // MCMC: the temperature of this sweep; 1 otherwise
  double elapsed_seconds = 0.0;  // since Solve() started
};

enum class ObserverDecision { kContinue, kStop };
// Called on the thread that called Solve(), once per iteration, after the iteration.
using SolverObserver = std::function<ObserverDecision(const IterationInfo&)>;

struct SolverSummary {
  std::string solver;  // "relaxation", "mcmc", "icm", "brute_force"
  int iterations = 0;
  TerminationReason termination = TerminationReason::kMaxIterations;
  double score = 0.0;                // S of the returned labelling
  double energy = 0.0;               // -score
  double average_consistency = 0.0;  // relaxation: A(p) of the returned p; NaN otherwise
  double wall_time_seconds = 0.0;
  int num_threads = 1;  // threads the run could use
};

struct Solution {
  std::vector<int> labelling;
  // Per (variable, label) at RandomField::label_offset(i) + a: relaxation's p, MCMC's and
  // brute force's marginals; empty for ICM.
  std::vector<double> probabilities;
  SolverSummary summary;
};

class Solver {
 public:
  virtual ~Solver() = default;
  virtual const char* name() const = 0;
  virtual Result<Solution> Solve(const RandomField& field,
                                 const SolverObserver& observer = {}) const = 0;
};

}  // namespace msrf
