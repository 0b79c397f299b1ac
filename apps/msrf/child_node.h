// `msrf node serve` as a child process: started with its arguments, asked for the port it
// printed, killed when the object dies. Used by msrf_offload_bench and by the tests.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace msrf::cli {

class ChildNode {
 public:
  // Runs `program node serve ARGS...` (program: a path to msrf) and waits up to
  // `timeout_ms` for its "listening on HOST:PORT" line. running() tells whether it came up.
  ChildNode(const std::string& program, const std::vector<std::string>& args,
            int timeout_ms = 20000);
  ~ChildNode();
  ChildNode(const ChildNode&) = delete;
  ChildNode& operator=(const ChildNode&) = delete;

  bool running() const { return port_ > 0; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  void Kill();      // SIGKILL and reap; idempotent
  void Stop();      // SIGSTOP
  void Continue();  // SIGCONT

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// Runs `argv` (argv[0] looked up in PATH, then /usr/sbin and /sbin) and waits for it. What
// it prints on stdout and stderr goes to `out` and `err` as it comes (nowhere when empty).
// Returns its exit code, 127 when it could not be started, 128 + N when signal N ended it.
using OutputSink = std::function<void(const std::string&)>;
int RunProgram(const std::vector<std::string>& argv, const OutputSink& out = {},
               const OutputSink& err = {});

// This program's own path (/proc/self/exe), for starting nodes of the same build.
std::string SelfPath();

}  // namespace msrf::cli
