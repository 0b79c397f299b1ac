#include "msrf/inference/solver.h"

namespace msrf {

const char* TerminationReasonName(TerminationReason reason) {
  switch (reason) {
    case TerminationReason::kConverged: return "converged";
    case TerminationReason::kMaxIterations: return "max iterations";
    case TerminationReason::kScheduleCompleted: return "schedule completed";
    case TerminationReason::kExhausted: return "exhausted";
    case TerminationReason::kStoppedByObserver: return "stopped by observer";
  }
  return "unknown";
}

}  // namespace msrf
