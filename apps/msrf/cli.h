// The msrf command line: one binary, one file per subcommand.
#pragma once

#include <functional>
#include <ostream>
#include <string>

#include "msrf/core/status.h"
#include "msrf/core/version.h"

namespace CLI {
class App;
}

namespace msrf::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,  // the run failed (an I/O error, an internal error)
  kExitUsage = 2,    // bad input: a missing or unreadable file, an out-of-range option
};

// The exit code for a failed `status`: kExitFailure when the run failed (I/O, internal,
// unavailable, deadline, cancelled), kExitUsage for everything the input is to blame for.
int ExitCodeFor(const Status& status);

// Runs `msrf argv[1..]`. Results go to `out`, diagnostics (one line per error) to `err`.
int Run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// What a subcommand needs from the dispatcher.
struct Context {
  std::ostream& out;
  std::ostream& err;
  // Set by the chosen subcommand's parse callback; run after parsing succeeds.
  std::function<int()> action;

  // Prints "msrf <command>: error: <message>" and returns the exit code for `status`.
  int Fail(const std::string& command, const Status& status) const;
};

void AddFragmentsCommand(CLI::App& app, Context& context);
void AddSynthCommand(CLI::App& app, Context& context);
void AddModelCommand(CLI::App& app, Context& context);
void AddDetectCommand(CLI::App& app, Context& context);
void AddEdgesCommand(CLI::App& app, Context& context);
void AddBenchCommand(CLI::App& app, Context& context);
#if MSRF_WITH_REMOTE
void AddNodeCommand(CLI::App& app, Context& context);
#endif

}  // namespace msrf::cli
