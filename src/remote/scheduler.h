// Which unit of work (a level, or a tile of a tiled level) goes where: calibrating the
// nodes, placing the units by the cost model (msrf/remote/level_plan.h), running each
// slot's queue, benching a node whose call fails and moving its work to where it is
// predicted to finish first, the coordinator included. It reaches nodes only through
// NodeClient, so it runs against fakes in tests; RemoteLevelExecutor gives it gRPC clients.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/grouping/level_work.h"
#include "msrf/remote/level_plan.h"
#include "msrf/remote/remote_executor.h"
#include "node_client.h"

namespace msrf::remote {

class LevelScheduler {
 public:
  // clients[k] reaches options.nodes[k], whose address and max_level_pixels the scheduler
  // uses; the options are not validated here.
  LevelScheduler(RemoteOptions options, std::vector<std::unique_ptr<NodeClient>> clients);
  ~LevelScheduler();

  // As LevelExecutor::Run; not to be called from two threads at once.
  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs);

  std::vector<NodeStats> stats() const;
  int local_levels() const;
  int local_tiles() const;
  RunReport last_run() const;
  LevelExecutorReport Report() const;

 private:
  struct Node;
  struct Units;
  class Dispatch;
  friend class Dispatch;

  void Log(const std::string& line) const;
  // Caller holds the mutex.
  void Fail(Node& node, const std::string& what, bool refusal);
  // Caller holds no lock.
  void Observe(Node& node, int cost_key, double pixels, double request_bytes, double reply_bytes,
               double total_ms, double service_ms);
  void Prepare(Node& node, const std::string& options_json, const std::string& hash);
  void Calibrate(Node& node);
  void CalibrateCoordinator();
  // Caller holds the mutex. True when `node` may take a unit with these options and pixels.
  bool Usable(const Node& node, const std::string& options_hash, int64_t pixels) const;
  // Caller holds the mutex. Places `units`, keeping the previous plan unless the new one is
  // enough faster, and starts `report` with the plan.
  LevelPlan Plan(const Units& units, RunReport& report);

  RemoteOptions options_;
  std::vector<std::unique_ptr<Node>> nodes_;
  mutable std::mutex mutex_;
  // Guarded by `mutex_`.
  int local_levels_ = 0;
  int local_tiles_ = 0;
  std::vector<int> plan_;  // slots of the previous Run's plan
  RunReport report_;
  LevelExecutorReport totals_;  // runs, replans and bytes of every successful Run
  // Slot 0 the coordinator, slot k + 1 nodes_[k]. Predictions for the current Run use
  // `models_`, the cost model with unusable slots priced out.
  CostModel cost_;
  std::vector<NodeModel> models_;
};

}  // namespace msrf::remote
