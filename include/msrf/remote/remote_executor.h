// Runs level jobs on edge nodes (msrf node serve), falling back to other nodes or to this
// process when a node fails, so that a run always ends with the local run's answer.
//
//   auto nodes = msrf::remote::ReadNodesConfig("nodes.json");         // Result<RemoteOptions>
//   nodes->log = [](const std::string& line) { std::cerr << line << "\n"; };
//   auto executor = msrf::remote::RemoteLevelExecutor::Create(*nodes);  // Result<unique_ptr<..>>
//   msrf::Detect(image, model, options, edges, **executor);
//
// What happens to a job: it goes to the usable node with the fewest jobs in flight (up to
// the node's max_jobs). A call that fails (unreachable, past its deadline, refused, or a
// malformed answer) benches the node and the level is rerun on another node that has not
// tried it, or in this process when none is left. A benched node is given work again once
// its health check passes (checked at the start of each Run). A node that refuses the
// credentials or the build is not tried again.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/grouping/level_work.h"

namespace msrf::remote {

struct NodeEndpoint {
  std::string address;  // HOST:PORT
  // The name the node's certificate must carry; empty: the host part of `address`.
  std::string server_name;
  // PEM text: the CA that signed the node's certificate, this client's certificate and key.
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  std::string token;      // bearer token
  bool insecure = false;  // plaintext, loopback only
  int max_jobs = 2;       // levels in flight on this node at once, in [1, 64]
  int deadline_ms = 10000;  // per level call, in [10, 3600000]
};

struct RemoteOptions {
  std::vector<NodeEndpoint> nodes;
  int handshake_deadline_ms = 3000;
  int health_deadline_ms = 1000;
  // Largest message sent or received, bytes.
  int64_t max_message_bytes = int64_t{64} << 20;
  // Told one line per event (a node benched, a level rerun, a node back); may be empty.
  std::function<void(const std::string&)> log;

  Status Validate() const;
};

// Reads a nodes file:
//   {"ca": "ca.pem", "cert": "client.pem", "key": "client.key", "token_file": "token",
//    "deadline_ms": 10000, "max_jobs": 2,
//    "nodes": [{"address": "10.0.0.7:7700"}, {"address": "10.0.0.8:7700", "max_jobs": 4,
//               "server_name": "node8", "deadline_ms": 20000}]}
// Paths are relative to the file's folder; every key at the top level is a default a node
// entry may override ("insecure": true only for loopback addresses). Errors name the file
// and the field.
Result<RemoteOptions> ReadNodesConfig(const std::string& path);

struct NodeStats {
  std::string address;
  int levels_done = 0;    // levels this node answered
  int levels_failed = 0;  // calls that failed and were rerun elsewhere
  bool benched = false;   // waiting for its health check to pass
  bool disabled = false;  // refused us (credentials, build); not tried again
  std::string last_error;
};

class RemoteLevelExecutor final : public LevelExecutor {
 public:
  // Sets up a channel per node (connections are made on first use).
  static Result<std::unique_ptr<RemoteLevelExecutor>> Create(RemoteOptions options);
  ~RemoteLevelExecutor() override;

  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override;

  std::vector<NodeStats> stats() const;
  // Levels run in this process because no node could take them.
  int local_levels() const;

 private:
  struct Impl;
  explicit RemoteLevelExecutor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace msrf::remote
