#include "msrf/child_node.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>

namespace msrf::cli {
namespace {

// The port after "listening on HOST:" once that line is complete, else 0.
int PortIn(const std::string& text) {
  const size_t at = text.find("listening on ");
  if (at == std::string::npos || text.find('\n', at) == std::string::npos) return 0;
  const size_t colon = text.rfind(':', text.find(' ', at + 13));
  return colon == std::string::npos || colon < at ? 0 : std::atoi(text.c_str() + colon + 1);
}

}  // namespace

ChildNode::ChildNode(const std::string& program, const std::vector<std::string>& args,
                     int timeout_ms) {
  std::vector<std::string> argv_strings = {program, "node", "serve"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(argv_strings.size() + 1);
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return;
  pid_ = fork();
  if (pid_ < 0) {
    close(out[0]);
    close(out[1]);
    return;
  }
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < give_up && PortIn(text) == 0) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);  // the node's later lines go nowhere
  port_ = PortIn(text);
}

ChildNode::~ChildNode() { Kill(); }

void ChildNode::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void ChildNode::Stop() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void ChildNode::Continue() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

namespace {

std::string FindProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
  dirs += ":/usr/sbin:/sbin";
  size_t begin = 0;
  while (begin <= dirs.size()) {
    const size_t end = std::min(dirs.find(':', begin), dirs.size());
    std::string candidate = dirs.substr(begin, end - begin) + "/" + name;
    if (end > begin && access(candidate.c_str(), X_OK) == 0) return candidate;
    begin = end + 1;
  }
  return name;
}

}  // namespace

int RunProgram(const std::vector<std::string>& argv_strings, const OutputSink& out,
               const OutputSink& err) {
  if (argv_strings.empty()) return 127;
  std::vector<std::string> args = argv_strings;
  args[0] = FindProgram(args[0]);
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipes[2][2];
  if (pipe2(pipes[0], O_CLOEXEC) != 0) return 127;
  if (pipe2(pipes[1], O_CLOEXEC) != 0) {
    close(pipes[0][0]);
    close(pipes[0][1]);
    return 127;
  }
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipes[0][1], STDOUT_FILENO);
    dup2(pipes[1][1], STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipes[0][1]);
  close(pipes[1][1]);
  if (pid > 0) {
    // Both streams as they come, until both are closed.
    pollfd fds[2] = {{pipes[0][0], POLLIN, 0}, {pipes[1][0], POLLIN, 0}};
    const OutputSink* sinks[2] = {&out, &err};
    int open_streams = 2;
    while (open_streams > 0) {
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buf[4096];
        const ssize_t n = read(fds[i].fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          fds[i].fd = -1;
          --open_streams;
        } else if (*sinks[i]) {
          (*sinks[i])(std::string(buf, static_cast<size_t>(n)));
        }
      }
    }
  }
  close(pipes[0][0]);
  close(pipes[1][0]);
  if (pid < 0) return 127;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 127;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
}

std::string SelfPath() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string("msrf");
}

}  // namespace msrf::cli
