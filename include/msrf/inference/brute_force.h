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
  // Refuse (kOutOfRange) fields with more labellings than this, in [1, 1e9].
  int64_t max_labellings = 10'000'000;
  // Compute the exact marginals (one exp per labelling).
  bool compute_marginals = true;
  // Temperature T of the marginals, > 0.
  double temperature = 1.0;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateBruteForceSolver(const BruteForceOptions& options = {});

}  // namespace msrf
