// Real edge nodes for the tests: `msrf node serve` processes on loopback, port 0, and the
// certificates they need, made with the openssl command line.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "msrf/child_node.h"
#include "msrf/grouping/detect.h"
#include "msrf/remote/remote_executor.h"
#include "support/test_support.h"

namespace msrf::testing {

// A private CA, a node certificate for 127.0.0.1/localhost, a client certificate, a rogue
// CA with a client certificate of its own, and a token, in a temporary folder.
class TestPki {
 public:
  TestPki();
  bool ok() const { return ok_; }
  std::string Path(const std::string& name) const { return dir_.Path(name); }
  std::string Read(const std::string& name) const;
  // A client endpoint for `address` with the good client certificate and token.
  remote::NodeEndpoint Endpoint(const std::string& address) const;

 private:
  TempDir dir_;
  bool ok_ = false;
};

// One `msrf node serve` process; killed (SIGKILL after SIGCONT) when the object dies.
class NodeProcess {
 public:
  // Starts a node with the PKI's node certificate and token, plus `extra` arguments, and
  // waits (up to 20 s) for the address it prints.
  NodeProcess(const TestPki& pki, const std::vector<std::string>& extra = {});
  ~NodeProcess() = default;
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  bool running() const { return child_->running(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(child_->port()); }
  void Kill() { child_->Kill(); }
  void Freeze() { child_->Stop(); }
  void Thaw() { child_->Continue(); }

 private:
  std::unique_ptr<cli::ChildNode> child_;
};

// A coordinator over `nodes` that records what it logs. `fleet` holds the fleet-wide
// options; each node's endpoint comes from the PKI, then `endpoint` may change it.
class TestCoordinator {
 public:
  TestCoordinator(const TestPki& pki, const std::vector<const NodeProcess*>& nodes,
                  remote::RemoteOptions fleet,
                  const std::function<void(remote::NodeEndpoint&)>& endpoint = {});

  std::unique_ptr<remote::RemoteLevelExecutor> executor;  // null when it could not be made
  std::string Log() const;                                // every line logged so far
  int LevelsDone() const;                                 // levels the nodes answered
  int TilesDone() const;                                  // tiles the nodes answered
  // Waits (up to `timeout_ms`) until nodes[node] has been calibrated: its next call is work.
  bool WaitUntilCalibrated(size_t node, int timeout_ms = 60000) const;

 private:
  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
};

// Detections as JSON without timings, to compare runs byte for byte ("" and a test failure
// when `result` is an error).
std::string DetectionsJsonOf(const Result<Detections>& result, const ShapeModel& model,
                             const DetectOptions& options, cv::Size size);

}  // namespace msrf::testing
