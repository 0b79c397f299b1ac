// An edge node: serves the level work of msrf::Detect (msrf/grouping/level_work.h) over
// gRPC to coordinators that hold its CA-signed client certificate and its bearer token.
//
//   msrf::remote::NodeOptions options;
//   options.listen = "0.0.0.0:7700";
//   options.cert_pem = ...; options.key_pem = ...; options.ca_pem = ...;  // mutual TLS
//   options.token = ...;                                                  // ReadTokenFile
//   auto node = msrf::remote::NodeServer::Start(options);  // Result<unique_ptr<NodeServer>>
//   (*node)->Wait();
//
// Besides the LevelWorker service it serves the standard gRPC health service.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "msrf/core/status.h"

namespace msrf::remote {

struct NodeOptions {
  // HOST:PORT to listen on; port 0 picks a free port (NodeServer::port() tells which). The
  // default exposes nothing beyond this machine and never collides with a port in use.
  std::string listen = "127.0.0.1:0";
  // Mutual TLS: the node's certificate chain and key, and the CA that signs the clients'
  // certificates (a client without one is refused). All PEM text.
  std::string cert_pem;
  std::string key_pem;
  std::string ca_pem;
  // No TLS at all. Only for a loopback `listen` address; Start refuses any other. Off:
  // mutual TLS unless asked otherwise.
  bool insecure = false;
  // The bearer token every LevelWorker call must carry (compared in constant time).
  std::string token;
  // Largest message received or sent, bytes, in [1 MiB, 1 GiB]. The coordinator's default
  // (RemoteOptions::max_message_bytes), so both ends refuse the same.
  int64_t max_message_bytes = int64_t{64} << 20;
  // Largest level-0 image a request may describe, pixels: bounds what a request can make the
  // node allocate. Above the 40,000,000 pixels `msrf detect` reads by default
  // (ImageReadOptions::max_pixels), so every image it accepts by default passes.
  int64_t max_pixels = int64_t{64} << 20;

  // For tests and benchmarks: every answer is delayed by `delay_ms` (a slow link), and the
  // node acts as a device `slowdown` times slower than this machine (>= 1): a level's
  // answer leaves `slowdown` times the CPU time its work took after the work began (the
  // node idles for the difference), so that other processes on the machine barely change
  // the emulated speed; from the `slowdown_after`-th level or tile call on (0: from the start).
  // The defaults (no delay, 1x) are a real node: these exist only for tests and benchmarks.
  int delay_ms = 0;
  double slowdown = 1.0;
  int slowdown_after = 0;
  // For tests: answer every level and tile with a malformed reply. Off: a real node.
  bool fault_garbage = false;

  Status Validate() const;
};

class NodeServer {
 public:
  // Starts serving on a thread pool of gRPC's; fails (with the reason) when the address
  // cannot be bound or the credentials are unusable.
  static Result<std::unique_ptr<NodeServer>> Start(const NodeOptions& options);
  ~NodeServer();
  NodeServer(const NodeServer&) = delete;
  NodeServer& operator=(const NodeServer&) = delete;

  // The port bound (the chosen one when `listen` gave port 0).
  int port() const;
  // Blocks until Shutdown() is called from another thread.
  void Wait();
  // Stops taking calls, lets running ones finish (up to a second), and returns.
  void Shutdown();

 private:
  struct Impl;
  explicit NodeServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace msrf::remote
