// Iterated conditional modes: the simple baseline. Starts from the best label of each unary,
// then repeatedly sets each variable (in id order) to the label that maximises its local
// score given the others; a label changes only on a strict improvement (ties keep it), so
// the score never decreases. Sequential.
#pragma once

#include <memory>

#include "msrf/core/status.h"
#include "msrf/inference/solver.h"

namespace msrf {

struct IcmOptions {
  // Sweep cap, in [1, 1e6]. ICM converges when a sweep changes nothing: every change raises
  // the score strictly, so it stops on its own, and the cap is only a safety bound.
  int max_iterations = 100;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateIcmSolver(const IcmOptions& options = {});

}  // namespace msrf
