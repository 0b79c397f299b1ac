// One edge node as the scheduler sees it: a health check, a handshake, and level and tile
// calls that come back with a checked answer or the reason they failed. The gRPC client
// (node_client.cpp) is the real one; tests give the scheduler fakes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "msrf/core/status.h"
#include "msrf/fragments/tiles.h"
#include "msrf/grouping/level_work.h"
#include "msrf/remote/nodes_config.h"

namespace msrf::remote {

// A request in its wire form (a protocol message); only the gRPC client reads it.
struct WireRequest;

// The request for one unit of work, encoded once and sent to any node (reruns reuse it).
struct UnitRequest {
  std::string options_json;  // LevelOptionsJson of the options the unit runs with
  std::string options_hash;  // what a node agrees to at a handshake
  int64_t bytes = 0;         // the request's size on the wire
  std::shared_ptr<const WireRequest> wire;
};

// `job`'s whole level; `compact` as RemoteOptions::compact.
UnitRequest EncodeLevelUnit(const LevelJob& job, bool compact);
// One tile of a tiled level whose candidates are found with `candidates`.
UnitRequest EncodeTileUnit(const TileJob& job, const CandidateOptions& candidates, bool compact);

struct CallResult {
  // OK, or why the call failed (unreachable, past its deadline, refused, malformed answer).
  Status status;
  bool refusal = false;     // the node refused us (credentials, build): retrying will not help
  double total_ms = 0.0;    // the call, transfers included
  double service_ms = 0.0;  // the node's own time, as it says
  int64_t reply_bytes = 0;
};

class NodeClient {
 public:
  virtual ~NodeClient() = default;
  // True when the node says it is serving within the health deadline.
  virtual bool CheckHealth() = 0;
  // Asks the node to accept this build and the options of `options_json`.
  virtual CallResult Handshake(const std::string& options_json,
                               const std::string& options_hash) = 0;
  // Sends `request`, made for `job`; the answer, checked against `job`, goes to `out`.
  virtual CallResult RunLevel(const UnitRequest& request, const LevelJob& job,
                              LevelOutput& out) = 0;
  virtual CallResult RunTile(const UnitRequest& request, const TileJob& job, TileOutput& out) = 0;
};

// A gRPC client for `endpoint` with the message caps and deadlines of `options`; its
// channel connects on first use.
std::unique_ptr<NodeClient> MakeGrpcNodeClient(const NodeEndpoint& endpoint,
                                               const RemoteOptions& options);

}  // namespace msrf::remote
