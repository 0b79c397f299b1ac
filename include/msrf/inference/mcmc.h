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

// The defaults sample the field's own distribution (T = 1, no annealing), the one whose
// marginals the tests check against exact enumeration; none was tuned on a dataset.
struct McmcOptions {
  // Gibbs evaluates every label of a variable per step and never rejects; Metropolis
  // evaluates one proposed label and may reject it. Gibbs suits fields with few labels per
  // variable; with many, Metropolis's cheaper steps may win.
  McmcKernel kernel = McmcKernel::kGibbs;
  // Independent chains, in [1, 1024]. They run in parallel; more chains give more starts for
  // the best labelling and more samples, at proportional cost.
  int num_chains = 4;
  // Annealing sweeps, >= 0 (0: no annealing, so the chains sample P_1 itself).
  int anneal_sweeps = 0;
  // Sweeps at final_temperature after annealing, >= 0; anneal_sweeps + sample_sweeps >= 1.
  // More sweeps give marginals with less sampling noise, at proportional cost.
  int sample_sweeps = 200;
  // Sample sweeps not counted in the marginals, in [0, sample_sweeps).
  // (Ignored when sample_sweeps == 0.) A tenth of the samples: the chains start from uniform
  // random labellings, not from the distribution.
  int burn_in_sweeps = 20;
  // Temperatures, > 0. For MAP search anneal to a small T1, e.g. 10 -> 0.05. 1 and 1: the
  // field's own distribution.
  double initial_temperature = 1.0;
  double final_temperature = 1.0;
  // Any fixed seed makes runs repeat (Detect derives one per hypothesis from its own seed).
  uint64_t seed = 0;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateMcmcSolver(const McmcOptions& options = {});

}  // namespace msrf
