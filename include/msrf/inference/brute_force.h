// Brute force: enumerates every labelling, for tests and tiny fields. Returns the labelling
// of highest score (ties: lexicographically smallest, variable 0 most significant) and the
// exact marginals of P_T(x) proportional to exp(S(x) / T).
#pragma once

#include <cstdint>
#include <memory>

#include "msrf/core/status.h"
#include "msrf/inference/solver.h"

namespace msrf {

struct BruteForceOptions {
  // Refuse (kOutOfRange) fields with more labellings than this, in [1, 1e9]. A safety bound:
  // each labelling costs one score (and one exp), so it caps the time of a solver meant for
  // tests and tiny fields.
  int64_t max_labellings = 10'000'000;
  // Compute the exact marginals (one exp per labelling): on by default, as they are what the
  // tests compare MCMC's marginals with.
  bool compute_marginals = true;
  // Temperature T of the marginals, > 0. 1: the field's own distribution, as MCMC's default.
  double temperature = 1.0;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateBruteForceSolver(const BruteForceOptions& options = {});

}  // namespace msrf
