// Runs level jobs on edge nodes (msrf node serve), falling back to other nodes or to this
// process when a node fails, so that a run always ends with the local run's answer. The
// nodes file is read by msrf/remote/nodes_config.h; inside, a scheduler places the work and
// talks to each node through a gRPC client (src/remote/scheduler.h, node_client.h).
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
// (msrf/remote/level_plan.h), keeping the previous plan unless the new one is predicted to be at
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
#include <memory>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/grouping/level_work.h"
#include "msrf/remote/nodes_config.h"

namespace msrf::remote {

// A node's share of the work and its figures as now estimated (NodeModel in level_plan.h).
using NodeStats = LevelNodeReport;

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
  LevelExecutorReport Report() const override;

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
