// gRPC's own log lines (e.g. "E1201 ... Invalid cert chain file") go to stderr unless told
// otherwise, which would break the command line's one-line errors and the rule that the
// library never prints. They are kept here instead, for the error that reports the failure.
#pragma once

#include <string>

namespace msrf::remote {

// Routes gRPC's log into this module, once per process; a no-op when GRPC_VERBOSITY or
// GRPC_TRACE is set, so that gRPC's own diagnostics can still be asked for.
void RouteGrpcLog();

// The first error gRPC logged since the last call ("" when none), and forgets it.
std::string TakeGrpcError();

}  // namespace msrf::remote
