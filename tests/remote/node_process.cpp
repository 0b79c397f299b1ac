#include "remote/node_process.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "msrf/io/detections_io.h"

namespace msrf::testing {
namespace node_process {  // named: the remote tests are one unity build

bool Sh(const std::string& command) {
  return std::system(("(" + command + ") >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace node_process

TestPki::TestPki() {
  const std::string d = dir_.path().string();
  const std::string key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes ";
  const std::string req = "openssl req " + key + "-subj ";
  const std::string sign = "openssl x509 -req -days 2 -CAcreateserial ";
  std::ofstream(d + "/san.ext") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
  ok_ = node_process::Sh("cd " + d + " && openssl req -x509 " + key +
                         "-days 2 -subj '/CN=msrf test CA'"
                         " -keyout ca.key -out ca.pem") &&
        node_process::Sh("cd " + d + " && " + req +
                         "'/CN=localhost' -keyout node.key -out node.csr && " + sign +
                         "-in node.csr -CA ca.pem -CAkey ca.key -extfile san.ext -out node.pem") &&
        node_process::Sh("cd " + d + " && " + req +
                         "'/CN=msrf client' -keyout client.key -out client.csr && " + sign +
                         "-in client.csr -CA ca.pem -CAkey ca.key -out client.pem") &&
        node_process::Sh("cd " + d + " && openssl req -x509 " + key +
                         "-days 2 -subj '/CN=rogue CA'"
                         " -keyout rogue-ca.key -out rogue-ca.pem && " +
                         req +
                         "'/CN=rogue client' -keyout rogue.key"
                         " -out rogue.csr && " +
                         sign +
                         "-in rogue.csr -CA rogue-ca.pem -CAkey rogue-ca.key"
                         " -out rogue.pem");
  std::ofstream(d + "/token") << "test-token-0123456789abcdef\n";
  std::ofstream(d + "/wrong-token") << "wrong-token-0123456789abcdef\n";
}

std::string TestPki::Read(const std::string& name) const { return ReadFileBytes(Path(name)); }

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
  std::vector<std::string> args = {
      "--listen",     "127.0.0.1:0",        "--cert",    pki.Path("node.pem"),
      "--key",        pki.Path("node.key"), "--ca",      pki.Path("ca.pem"),
      "--token-file", pki.Path("token"),    "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  child_ = std::make_unique<cli::ChildNode>(MSRF_CLI_PATH, args);
}

TestCoordinator::TestCoordinator(const TestPki& pki, const std::vector<const NodeProcess*>& nodes,
                                 remote::RemoteOptions fleet,
                                 const std::function<void(remote::NodeEndpoint&)>& endpoint) {
  // A TLS handshake with a node process takes milliseconds, but seconds on a machine busy
  // with other tests or under a sanitizer; these tests are about what happens after it.
  fleet.handshake_deadline_ms = std::max(fleet.handshake_deadline_ms, 30000);
  for (const NodeProcess* n : nodes) {
    remote::NodeEndpoint e = pki.Endpoint(n->address());
    if (endpoint) endpoint(e);
    fleet.nodes.push_back(e);
  }
  fleet.log = [lines = lines_, mutex = mutex_](const std::string& line) {
    std::lock_guard<std::mutex> lock(*mutex);
    lines->push_back(line);
  };
  auto created = remote::RemoteLevelExecutor::Create(fleet);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (created.ok()) executor = std::move(created).value();
}

std::string TestCoordinator::Log() const {
  std::lock_guard<std::mutex> lock(*mutex_);
  std::string all;
  for (const std::string& l : *lines_) all += l + "\n";
  return all;
}

int TestCoordinator::LevelsDone() const {
  int n = 0;
  for (const remote::NodeStats& s : executor->stats()) n += s.levels_done;
  return n;
}

int TestCoordinator::TilesDone() const {
  int n = 0;
  for (const remote::NodeStats& s : executor->stats()) n += s.tiles_done;
  return n;
}

bool TestCoordinator::WaitUntilCalibrated(size_t node, int timeout_ms) const {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < give_up) {
    if (executor->stats().at(node).work_per_ms > 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

std::string DetectionsJsonOf(const Result<Detections>& result, const ShapeModel& model,
                             const DetectOptions& options, cv::Size size) {
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return "";
  DetectionsJsonOptions json;
  json.include_timing = false;
  return DetectionsToJson(*result, model, options, size, json);
}

}  // namespace msrf::testing
