// Runs the msrf command line in-process, as main() would, and captures what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "msrf/cli.h"

namespace msrf::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;

  // Number of lines printed on stderr.
  int ErrLines() const {
    int n = 0;
    for (char c : err) n += c == '\n';
    return n;
  }
};

inline CliRun RunCli(std::vector<std::string> args) {
  args.insert(args.begin(), "msrf");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  CliRun run;
  run.exit_code = cli::Run(static_cast<int>(argv.size()), argv.data(), out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

}  // namespace msrf::testing
