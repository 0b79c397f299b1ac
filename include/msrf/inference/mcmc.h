// Markov chain Monte Carlo over the labels of a RandomField, targeting
//   P_T(x) proportional to exp(S(x) / T).
// Kernels: Gibbs (draw x_i from its conditional) or Metropolis (propose a uniform other
// label, accept with min(1, exp(dS / T))), visiting variables in id order each sweep.
//
// Schedule per chain: `anneal_sweeps` sweeps with T going geometrically from
// initial_temperature to final_temperature (first sweep at T0, last at T1), then
// `sample_sweeps` sweeps at final_temperature. Marginals are label frequencies over the
// sample sweeps after the first `burn_in_sweeps` of them, pooled over chains: marginals of
// P_T1 (with T1 = 1 and no annealing, of the field's own distribution).
//
// Chains start from uniform random labellings and run in parallel (oneTBB), in lockstep one
// sweep at a time; chain c draws from Rng(DeriveSeed(seed, c)). The labelling returned is the
// best seen (states at the end of every sweep, and the start) over all chains, ties to the
// lowest chain index and then the earliest sweep. Same seed, same result for any thread
// count.
#pragma once

#include <cstdint>
#include <memory>

#include "msrf/core/status.h"
#include "msrf/inference/solver.h"

namespace msrf {

enum class McmcKernel { kGibbs, kMetropolis };

struct McmcOptions {
  McmcKernel kernel = McmcKernel::kGibbs;
  // Independent chains, in [1, 1024].
  int num_chains = 4;
  // Annealing sweeps, >= 0 (0: no annealing).
  int anneal_sweeps = 0;
  // Sweeps at final_temperature after annealing, >= 0; anneal_sweeps + sample_sweeps >= 1.
  int sample_sweeps = 200;
  // Sample sweeps not counted in the marginals, in [0, sample_sweeps).
  // (Ignored when sample_sweeps == 0.)
  int burn_in_sweeps = 20;
  // Temperatures, > 0. For MAP search anneal to a small T1, e.g. 10 -> 0.05.
  double initial_temperature = 1.0;
  double final_temperature = 1.0;
  uint64_t seed = 0;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateMcmcSolver(const McmcOptions& options = {});

}  // namespace msrf
