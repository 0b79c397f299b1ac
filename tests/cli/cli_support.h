// Runs the msrf command line in-process, as main() would, and captures what it prints.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include <map>

#include "msrf/cli.h"
#include "support/test_support.h"

namespace msrf::testing {

// The bundled example model, which most command tests detect with.
inline const std::string kVase = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";

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

// Expands placeholders in test arguments: whole arguments found in `names`, and the
// prefixes "IN/" ("@IN/" for an @list) and "OUT/" as files of the `in` and `out` folders.
inline std::vector<std::string> ExpandArgs(const std::vector<std::string>& args,
                                           const std::map<std::string, std::string>& names,
                                           const TempDir& in, const TempDir& out) {
  std::vector<std::string> expanded;
  for (std::string a : args) {
    if (auto it = names.find(a); it != names.end()) a = it->second;
    if (a.rfind("IN/", 0) == 0) a = in.Path(a.substr(3));
    if (a.rfind("@IN/", 0) == 0) a = "@" + in.Path(a.substr(4));
    if (a.rfind("OUT/", 0) == 0) a = out.Path(a.substr(4));
    expanded.push_back(a);
  }
  return expanded;
}

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
