// Runs level jobs on edge nodes (msrf node serve), falling back to other nodes or to this
// process when a node fails, so that a run always ends with the local run's answer.
//
//   auto nodes = msrf::remote::ReadNodesConfig("nodes.json");         // Result<RemoteOptions>
//   nodes->log = [](const std::string& line) { std::cerr << line << "\n"; };
//   auto executor = msrf::remote::RemoteLevelExecutor::Create(*nodes);  // Result<unique_ptr<..>>
//   msrf::Detect(image, model, options, edges, **executor);
//
// Placement: each node is calibrated when first reached (round trip, bandwidth, and speed
// on a small generated level), and its figures are updated from every job it runs (moving
// averages that jump to a measurement more than 2x off). Each Run places the levels on the
// coordinator and the nodes to minimise the predicted finish of the slowest
// (msrf/remote/placement.h), keeping the previous plan unless the new one is predicted to be at
// least 5% faster; each node runs its levels one after another. With RemoteOptions::tile_pixels
// set, a large level is placed as its tiles, which the coordinator merges (docs/remote.md, "Tiles
// over the wire").
//
// Failures: a call that fails (unreachable, past its deadline, or a malformed answer)
// benches the node; its level, and the levels still queued for it, go where they are
// predicted to finish first among the coordinator and the nodes that have not tried them.
// A benched node is given work again once its health check passes (checked at the start of
// each Run). A node that refuses the credentials or the build is not tried again.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
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
  // Largest level (pixels) this node is given: the limit of a small device. 0: no limit.
  int64_t max_level_pixels = 0;
  int deadline_ms = 10000;  // per level call, in [10, 3600000]
};

struct RemoteOptions {
  std::vector<NodeEndpoint> nodes;
  int handshake_deadline_ms = 3000;
  int health_deadline_ms = 1000;
  // Largest message sent or received, bytes.
  int64_t max_message_bytes = int64_t{64} << 20;
  // The coordinator takes levels too when the plan says it is fastest. Off: it runs a level
  // only when no node can.
  bool coordinator_works = true;
  // Compact payloads: level images as PNG, edge strengths quantised to 16 bits, answers with
  // coordinates quantised to 1/16 pixel and candidates in single precision. Fewer bytes;
  // the detections may differ slightly from a local run's.
  bool compact = false;
  // Tiled levels: a level with more pixels than this is split into overlapping tiles
  // (msrf/fragments/tiles.h, with TileOptions::max_core_pixels = tile_pixels) that are placed
  // like levels, so that several nodes work on it at once; the coordinator merges the tiles
  // and finds the level's candidates, which gives the untiled answer bit for bit. A node
  // whose max_level_pixels is below the level may take the tiles that fit. 0: off; else
  // >= 4096. Levels with EdgeDrawing edges are never tiled.
  int tile_pixels = 0;
  // Re-plan before each Run from the latest measurements. Off: the first plan is kept (for
  // comparison; failures still move work).
  bool replan = true;
  // Told one line per event (a node benched, a level rerun, a node back); may be empty.
  std::function<void(const std::string&)> log;

  Status Validate() const;
};

// Reads a nodes file:
//   {"ca": "ca.pem", "cert": "client.pem", "key": "client.key", "token_file": "token",
//    "deadline_ms": 10000, "coordinator_works": true, "replan": true, "compact": false,
//    "tile_pixels": 0,
//    "nodes": [{"address": "10.0.0.7:7700"},
//              {"address": "10.0.0.8:7700", "max_level_pixels": 200000,
//               "server_name": "node8", "deadline_ms": 20000}]}
// Paths are relative to the file's folder; "tile_pixels" (RemoteOptions::tile_pixels) and
// the booleans are for the whole fleet; the credential keys, "insecure", "deadline_ms"
// and "max_level_pixels" at the top level are defaults a node entry may override
// ("insecure": true only for loopback addresses). Errors name the file and the field.
Result<RemoteOptions> ReadNodesConfig(const std::string& path);

// The same for the file's text; `source` is its path: it starts error messages, and the
// credential files are read relative to its folder.
Result<RemoteOptions> ParseNodesConfig(std::string_view text, const std::string& source);

struct NodeStats {
  std::string address;
  // The node's figures as now estimated (NodeModel in placement.h); 0 until calibrated.
  double latency_ms = 0.0;
  double bytes_per_ms = 0.0;
  double work_per_ms = 0.0;
  int levels_done = 0;    // levels this node answered
  int tiles_done = 0;     // tiles of tiled levels this node answered
  int levels_failed = 0;  // calls that failed and were rerun elsewhere
  bool benched = false;   // waiting for its health check to pass
  bool disabled = false;  // refused us (credentials, build); not tried again
  std::string last_error;
};

// What the last Run did. Slot 0 is the coordinator, slot k + 1 is nodes[k]. The work is
// placed in units: a job's level, or one tile of a tiled level; without tiles, unit j is
// job j.
struct RunReport {
  std::vector<int> planned_slot;  // per unit
  std::vector<int> ran_slot;      // per unit, where its answer came from
  std::vector<int> unit_job;      // per unit, the job it is (part of)
  std::vector<int> unit_tile;     // per unit, the tile of the job's level, or -1: all of it
  double predicted_makespan_ms = 0.0;
  double measured_makespan_ms = 0.0;  // first job sent to last answer in
  // Per unit: its predicted time on the planned slot, and the time it took where it ran
  // (the call, transfers included, or the local run), ms.
  std::vector<double> predicted_ms;
  std::vector<double> measured_ms;
  bool exact = false;      // the plan was proven optimal
  bool replanned = false;  // the plan changed from the previous Run's
  int64_t bytes_sent = 0;  // request bytes of remote calls (reruns included)
  int64_t bytes_received = 0;
  int tiled_levels = 0;
  // On the coordinator, for the tiled levels: merging their tiles and finding their
  // candidates, in all (the merges overlap the units still running).
  double merge_ms = 0.0;
};

class RemoteLevelExecutor final : public LevelExecutor {
 public:
  // Sets up a channel per node (connections are made on first use).
  static Result<std::unique_ptr<RemoteLevelExecutor>> Create(RemoteOptions options);
  ~RemoteLevelExecutor() override;

  // One image's levels. Runs its jobs in parallel itself; not to be called from two threads
  // at once (the plan is per run).
  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override;

  std::vector<NodeStats> stats() const;
  // Levels run in this process (planned there, or because no node could take them).
  int local_levels() const;
  // Tiles run in this process.
  int local_tiles() const;
  RunReport last_run() const;

 private:
  struct Impl;
  explicit RemoteLevelExecutor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace msrf::remote
