#include "remote/node_process.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace msrf::testing {
namespace {

bool Sh(const std::string& command) {
  return std::system(("(" + command + ") >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

TestPki::TestPki() {
  const std::string d = dir_.path().string();
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  const std::string req = "openssl req " + key + "-subj ";
  const std::string sign = "openssl x509 -req -days 2 -CAcreateserial ";
  std::ofstream(d + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  ok_ = Sh("cd " + d + " && openssl req -x509 " + key + "-days 2 -subj '/CN=msrf test CA'"
           " -keyout ca.key -out ca.pem") &&
        Sh("cd " + d + " && " + req + "'/CN=localhost' -keyout node.key -out node.csr && " + sign +
           "-in node.csr -CA ca.pem -CAkey ca.key -extfile san.ext -out node.pem") &&
        Sh("cd " + d + " && " + req + "'/CN=msrf client' -keyout client.key -out client.csr && " +
           sign + "-in client.csr -CA ca.pem -CAkey ca.key -out client.pem") &&
        Sh("cd " + d + " && openssl req -x509 " + key + "-days 2 -subj '/CN=rogue CA'"
           " -keyout rogue-ca.key -out rogue-ca.pem && " + req + "'/CN=rogue client' -keyout rogue.key"
           " -out rogue.csr && " + sign + "-in rogue.csr -CA rogue-ca.pem -CAkey rogue-ca.key"
           " -out rogue.pem");
  std::ofstream(d + "/token") << "test-token-0123456789abcdef\n";
  std::ofstream(d + "/wrong-token") << "wrong-token-0123456789abcdef\n";
}

std::string TestPki::Read(const std::string& name) const {
  std::ifstream in(Path(name));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

remote::NodeEndpoint TestPki::Endpoint(const std::string& address) const {
  remote::NodeEndpoint e;
  e.address = address;
  e.ca_pem = Read("ca.pem");
  e.cert_pem = Read("client.pem");
  e.key_pem = Read("client.key");
  e.token = "test-token-0123456789abcdef";
  return e;
}

NodeProcess::NodeProcess(const TestPki& pki, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {MSRF_CLI_PATH, "node", "serve", "--listen", "127.0.0.1:0",
                                   "--cert", pki.Path("node.pem"), "--key", pki.Path("node.key"),
                                   "--ca", pki.Path("ca.pem"), "--token-file", pki.Path("token"),
                                   "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  int out[2];
  if (pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  // "msrf node: listening on 127.0.0.1:PORT (...)"
  std::string text;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  // The port after "listening on HOST:", once the line is complete.
  auto port = [&text]() -> int {
    const size_t at = text.find("listening on ");
    const size_t end = text.find('\n', at);
    if (at == std::string::npos || end == std::string::npos) return 0;
    const size_t colon = text.rfind(':', text.find(' ', at + 13));
    return colon == std::string::npos ? 0 : std::atoi(text.c_str() + colon + 1);
  };
  while (std::chrono::steady_clock::now() < give_up && port() == 0) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof(buf));
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(out[0]);
  port_ = port();
}

NodeProcess::~NodeProcess() { Kill(); }

void NodeProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void NodeProcess::Freeze() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void NodeProcess::Thaw() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

}  // namespace msrf::testing
