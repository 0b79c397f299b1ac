#include "scheduler.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "msrf/core/stopwatch.h"
#include "msrf/fragments/tiles.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/synth/scene.h"

namespace msrf::remote {
namespace {

// A new plan replaces the previous one when predicted at least this much faster.
constexpr double kReplanGain = 0.95;

// A slot that may not take a unit is priced out with this prediction.
constexpr double kNever = 1e30;

// The work of one Run is placed in units: a job's whole level, or one tile of a tiled level.
// A tile's kind of work in the CostModel is kTileCostKey plus its level (no candidates, and
// pixels of a crop).
constexpr int kTileCostKey = 1000;

// The calibration job: a generated 512x384 level of silhouettes and clutter curves, no
// models (LevelWork's reference size), with Canny's edges, which need nothing but the level
// image (a strength map would have to come with it).
// Drawn once, on first use, for every node and the coordinator.
const LevelJob& CalibrationJob() {
  static const LevelJob job = [] {
    LevelJob j;
    j.fragments.edges.method = EdgeMethod::kCanny;
    ClutterSceneOptions scene;
    scene.size = {512, 384};
    j.level.image = DrawClutterScene(scene).image;
    j.level.base_size = j.level.image.size();
    j.image_size = j.level.image.size();
    return j;
  }();
  return job;
}

struct Unit {
  size_t job = 0;
  int tile = -1;  // in the level's tile plan; -1: the whole level
  UnitRequest request;
  int64_t pixels = 0;  // the level's, or the tile's crop's
  int cost_key = 0;    // the level index, or kTileCostKey plus it
  std::string name;    // for the log: "level 2", "level 0 tile 5"
};

// A job whose level runs in tiles, and the tiles' answers as they come in.
struct TiledLevel {
  TilePlan plan;
  std::vector<TileJob> tiles;
  std::vector<TileOutput> outputs;  // by tile
  size_t left = 0;                  // tiles not answered yet
};

// A unit's answer: `level` for a whole level, `tile` for a tile.
struct UnitOutput {
  LevelOutput level;
  TileOutput tile;
};

// The tiles of `job`'s level, when it has more than `tile_pixels` pixels, edges that can be
// tiled, and a plan of two tiles or more. A level that cannot be planned runs whole (and
// fails there, if the job itself is bad).
std::unique_ptr<TiledLevel> PlanTiledLevel(const LevelJob& job, int tile_pixels) {
  if (tile_pixels <= 0 || job.level.image.total() <= static_cast<size_t>(tile_pixels) ||
      EdgeCandidateReach(job.fragments.edges.method) < 0) {
    return nullptr;
  }
  TileOptions options;
  options.max_core_pixels = tile_pixels;
  Result<TilePlan> plan = PlanTiles(job.level, job.fragments, options);
  if (!plan.ok() || plan->tiles.size() < 2) return nullptr;
  Result<std::vector<TileJob>> tiles = MakeTileJobs(job.level, *plan);
  if (!tiles.ok()) return nullptr;
  auto out = std::make_unique<TiledLevel>();
  out->plan = std::move(plan).value();
  out->tiles = std::move(tiles).value();
  out->outputs.resize(out->tiles.size());
  out->left = out->tiles.size();
  return out;
}

// The level of a tiled job once all its tiles are in: merged, then finished as RunLevelJob
// finishes a level, so the output is the untiled one.
Result<LevelOutput> MergeTiledLevel(const LevelJob& job, const TiledLevel& tiled) {
  MSRF_ASSIGN_OR_RETURN(LevelFragments level, MergeTiles(tiled.plan, tiled.outputs));
  return FinishLevelJob(job, std::move(level));
}

}  // namespace

struct LevelScheduler::Node {
  NodeEndpoint endpoint;
  std::unique_ptr<NodeClient> client;
  // Guarded by the scheduler's mutex.
  std::set<std::string> agreed;  // options hashes the node accepted at a handshake
  size_t slot = 0;               // in the cost model
  NodeStats stats;
};

struct LevelScheduler::Units {
  std::vector<Unit> list;
  std::vector<std::unique_ptr<TiledLevel>> tiled;  // per job; set for the tiled levels
  std::vector<LevelCost> costs;                    // per unit

  // Each request is encoded once (reruns reuse it).
  Units(const std::vector<LevelJob>& jobs, const RemoteOptions& options) {
    for (size_t j = 0; j < jobs.size(); ++j) {
      const LevelJob& job = jobs[j];
      tiled.push_back(PlanTiledLevel(job, options.tile_pixels));
      const std::string level = "level " + std::to_string(job.level.index);
      if (!tiled[j]) {
        Unit u;
        u.job = j;
        u.request = EncodeLevelUnit(job, options.compact);
        u.pixels = static_cast<int64_t>(job.level.image.total());
        u.cost_key = job.level.index;
        u.name = level;
        list.push_back(std::move(u));
        continue;
      }
      for (const TileJob& t : tiled[j]->tiles) {
        Unit u;
        u.job = j;
        u.tile = t.tile;
        u.request = EncodeTileUnit(t, job.candidates, options.compact);
        u.pixels = static_cast<int64_t>(t.level.image.total());
        u.cost_key = kTileCostKey + job.level.index;
        u.name = level + " tile " + std::to_string(t.tile);
        list.push_back(std::move(u));
      }
    }
  }

  const TileJob& tile_job(const Unit& u) const {
    return tiled[u.job]->tiles[static_cast<size_t>(u.tile)];
  }
};

LevelScheduler::LevelScheduler(RemoteOptions options,
                               std::vector<std::unique_ptr<NodeClient>> clients)
    : options_(std::move(options)), cost_(clients.size() + 1) {
  for (size_t k = 0; k < clients.size(); ++k) {
    auto node = std::make_unique<Node>();
    node->endpoint = options_.nodes.at(k);
    node->client = std::move(clients[k]);
    node->stats.address = node->endpoint.address;
    node->slot = k + 1;
    nodes_.push_back(std::move(node));
  }
}

LevelScheduler::~LevelScheduler() = default;

void LevelScheduler::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

void LevelScheduler::Fail(Node& node, const std::string& what, bool refusal) {
  node.stats.last_error = what;
  if (refusal) {
    node.stats.disabled = true;
  } else {
    node.stats.benched = true;
  }
}

void LevelScheduler::Observe(Node& node, int cost_key, double pixels, double request_bytes,
                             double reply_bytes, double total_ms, double service_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  cost_.ObserveCall(node.slot, cost_key, pixels, request_bytes, reply_bytes, total_ms, service_ms);
  const NodeModel& m = cost_.node(node.slot);
  node.stats.latency_ms = m.latency_ms;
  node.stats.bytes_per_ms = m.bytes_per_ms;
  node.stats.work_per_ms = m.work_per_ms;
}

// Brings a node up to date for a run with options `hash`: a benched node must pass its
// health check, every node must have accepted the options at a handshake, and a node
// reached for the first time is calibrated.
void LevelScheduler::Prepare(Node& node, const std::string& options_json, const std::string& hash) {
  bool benched, agreed, calibrated;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (node.stats.disabled) return;
    benched = node.stats.benched;
    agreed = node.agreed.count(hash) > 0;
    calibrated = cost_.calibrated(node.slot);
  }
  const std::string& address = node.endpoint.address;
  if (benched) {
    if (!node.client->CheckHealth()) return;
    Log("node " + address + " passed its health check; back in use");
    std::lock_guard<std::mutex> lock(mutex_);
    node.stats.benched = false;
    node.agreed.clear();  // it may have been restarted with another build
    agreed = false;
  }
  if (agreed) return;
  CallResult call = node.client->Handshake(options_json, hash);
  // The first call also sets up the connection: time a second one for the round trip.
  if (call.status.ok() && !calibrated) call = node.client->Handshake(options_json, hash);
  if (!call.status.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    Fail(node, call.status.message(), call.refusal);
    Log("node " + address +
        (call.refusal ? " refused the handshake (" : " failed the handshake (") +
        node.stats.last_error +
        (call.refusal ? "); not used again" : "); benched until its health check passes"));
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    node.agreed.insert(hash);
    cost_.ObserveLatency(node.slot, call.total_ms);
    node.stats.latency_ms = cost_.node(node.slot).latency_ms;
  }
  if (!calibrated) Calibrate(node);
}

void LevelScheduler::Calibrate(Node& node) {
  const LevelJob& job = CalibrationJob();
  const UnitRequest request = EncodeLevelUnit(job, false);
  LevelOutput out;
  CallResult call = node.client->RunLevel(request, job, out);
  if (call.status.ok()) call.status = CheckLevelOutput(job, out);
  if (!call.status.ok()) {
    std::lock_guard<std::mutex> lock(mutex_);
    Fail(node, call.status.message(), call.refusal);
    Log("node " + node.endpoint.address + " failed its calibration (" + node.stats.last_error +
        "); benched until its health check passes");
    return;
  }
  Observe(node, -1, static_cast<double>(job.level.image.total()),
          static_cast<double>(request.bytes), static_cast<double>(call.reply_bytes), call.total_ms,
          call.service_ms);
}

void LevelScheduler::CalibrateCoordinator() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cost_.calibrated(0)) return;
  }
  // The median of three runs: the first also warms the caches and the thread pool.
  const LevelJob& job = CalibrationJob();
  std::array<double, 3> ms{};
  for (double& t : ms) {
    const Stopwatch start;
    (void)RunLevelJob(job);
    t = std::max(0.01, start.Milliseconds());
  }
  std::sort(ms.begin(), ms.end());
  std::lock_guard<std::mutex> lock(mutex_);
  cost_.ObserveLocal(-1, static_cast<double>(job.level.image.total()), ms[1]);
}

bool LevelScheduler::Usable(const Node& node, const std::string& options_hash,
                            int64_t pixels) const {
  return !node.stats.disabled && !node.stats.benched && cost_.calibrated(node.slot) &&
         node.agreed.count(options_hash) > 0 &&
         (node.endpoint.max_level_pixels == 0 || pixels <= node.endpoint.max_level_pixels);
}

LevelPlan LevelScheduler::Plan(const Units& units, RunReport& report) {
  const size_t n = units.list.size();
  const size_t slots = nodes_.size() + 1;  // 0: the coordinator
  auto usable = [&](size_t slot, size_t j) {
    return slot == 0 ||
           Usable(*nodes_[slot - 1], units.list[j].request.options_hash, units.list[j].pixels);
  };
  // The cost model as it stands: an unusable node (or the coordinator, when it should not
  // work) is priced out.
  models_.assign(slots, NodeModel());
  bool any_node = false;
  for (size_t k = 1; k < slots; ++k) any_node |= usable(k, 0);
  if (!any_node) Log("no node is usable: the levels run locally");
  models_[0] = cost_.node(0);
  if (!options_.coordinator_works && any_node) models_[0].work_per_ms = 1e-9;
  for (size_t k = 1; k < slots; ++k) {
    models_[k] = cost_.node(k);
    if (!usable(k, 0)) models_[k] = {0.0, 0.0, 1e-9};
  }
  // Levels a node may not take are priced out.
  auto predict = [&](size_t j, size_t slot) {
    if (!usable(slot, j)) return kNever;
    return PredictMs(units.costs[j], models_[slot]);
  };
  LevelPlan plan = PlaceLevels(units.costs, models_);
  for (size_t j = 0; j < n; ++j) {
    if (predict(j, static_cast<size_t>(plan.node_of_level[j])) >= kNever) {
      plan.node_of_level[j] = 0;  // a level too big for its node goes home
    }
  }
  const bool exact = plan.exact;
  plan = Evaluate(plan.node_of_level, units.costs, models_);
  report.exact = exact;
  bool plan_valid = plan_.size() == n;
  for (size_t j = 0; plan_valid && j < n; ++j) {
    plan_valid = predict(j, static_cast<size_t>(plan_[j])) < kNever;
  }
  if (plan_valid) {
    const LevelPlan previous = Evaluate(plan_, units.costs, models_);
    if (!options_.replan || plan.makespan_ms >= kReplanGain * previous.makespan_ms) {
      plan = previous;
    }
  }
  report.replanned = !plan_.empty() && plan_ != plan.node_of_level;
  plan_ = plan.node_of_level;
  report.planned_slot = plan.node_of_level;
  report.ran_slot.assign(n, -1);
  for (const Unit& u : units.list) {
    report.unit_job.push_back(static_cast<int>(u.job));
    report.unit_tile.push_back(u.tile);
  }
  for (const auto& t : units.tiled) report.tiled_levels += t ? 1 : 0;
  report.predicted_makespan_ms = plan.makespan_ms;
  report.predicted_ms.resize(n);
  for (size_t j = 0; j < n; ++j) {
    report.predicted_ms[j] = predict(j, static_cast<size_t>(plan.node_of_level[j]));
  }
  report.measured_ms.assign(n, 0.0);
  return plan;
}

// One Run's units in flight: each slot runs its queue one unit after another, on a thread
// per call; a failed call benches its node and moves its unit and its queue.
class LevelScheduler::Dispatch {
 public:
  Dispatch(LevelScheduler& s, const std::vector<LevelJob>& jobs, Units& units,
           const LevelPlan& plan, RunReport& report)
      : s_(s),
        jobs_(jobs),
        units_(units),
        report_(report),
        n_(units.list.size()),
        slots_(s.nodes_.size() + 1),
        outputs_(jobs.size()),
        unit_outputs_(n_),
        queues_(slots_),
        busy_(slots_, false),
        busy_until_(slots_, 0.0),
        tried_(n_) {
    // Biggest first within each queue (the plan's order).
    std::vector<size_t> order(n_);
    for (size_t j = 0; j < n_; ++j) order[j] = j;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return units.costs[a].work > units.costs[b].work; });
    for (size_t j : order) queues_[static_cast<size_t>(plan.node_of_level[j])].push_back(j);
  }

  // Runs every unit; `lock` holds the scheduler's mutex on entry and on return.
  Result<std::vector<LevelOutput>> Run(std::unique_lock<std::mutex>& lock) {
    const Stopwatch start;
    while (finished_ < n_ && !error_) {
      for (size_t k = 0; k < slots_; ++k) {
        if (busy_[k] || queues_[k].empty()) continue;
        const size_t j = queues_[k].front();
        queues_[k].pop_front();
        busy_[k] = true;
        busy_until_[k] = Predict(j, k);
        tried_[j].insert(k);
        if (k == 0) {
          ++(units_.list[j].tile < 0 ? s_.local_levels_ : s_.local_tiles_);
          threads_.emplace_back([this, j] { RunHere(j); });
        } else {
          threads_.emplace_back([this, j, k] { RunOnNode(j, k); });
        }
      }
      if (finished_ < n_ && !error_) changed_.wait(lock);
    }
    report_.measured_makespan_ms = start.Milliseconds();
    lock.unlock();
    for (std::thread& t : threads_) t.join();
    lock.lock();
    if (error_) return *error_;
    return std::move(outputs_);
  }

 private:
  bool Usable(size_t j, size_t slot) const {
    const Unit& u = units_.list[j];
    return slot == 0 || s_.Usable(*s_.nodes_[slot - 1], u.request.options_hash, u.pixels);
  }

  double Predict(size_t j, size_t slot) const {
    if (!Usable(j, slot)) return kNever;
    return PredictMs(units_.costs[j], s_.models_[slot]);
  }

  // Unit j in this process.
  void RunHere(size_t j) {
    const Unit& u = units_.list[j];
    UnitOutput& out = unit_outputs_[j];
    const Stopwatch t0;
    Status status;
    if (u.tile < 0) {
      Result<LevelOutput> level = RunLevelJob(jobs_[u.job]);
      status = level.status();
      if (level.ok()) out.level = std::move(level).value();
    } else {
      Result<TileOutput> tile = RunTileJob(units_.tile_job(u));
      status = tile.status();
      if (tile.ok()) out.tile = std::move(tile).value();
    }
    const double ms = t0.Milliseconds();
    std::unique_lock<std::mutex> guard(s_.mutex_);
    busy_[0] = false;
    busy_until_[0] = 0;
    bool merge_now = false;
    if (status.ok()) {
      s_.cost_.ObserveLocal(u.cost_key, static_cast<double>(u.pixels), ms);
      merge_now = Deliver(j);
      report_.ran_slot[j] = 0;
      report_.measured_ms[j] = ms;
    } else {
      error_ = status;
    }
    changed_.notify_all();
    guard.unlock();
    if (merge_now) Merge(u.job);
  }

  // Unit j on node slot k; its answer is checked before it is used.
  void RunOnNode(size_t j, size_t k) {
    const Unit& u = units_.list[j];
    Node& node = *s_.nodes_[k - 1];
    UnitOutput& out = unit_outputs_[j];
    CallResult call;
    if (u.tile < 0) {
      call = node.client->RunLevel(u.request, jobs_[u.job], out.level);
      if (call.status.ok()) call.status = CheckLevelOutput(jobs_[u.job], out.level);
    } else {
      call = node.client->RunTile(u.request, units_.tile_job(u), out.tile);
    }
    if (call.status.ok()) {
      s_.Observe(node, u.cost_key, static_cast<double>(u.pixels),
                 static_cast<double>(u.request.bytes), static_cast<double>(call.reply_bytes),
                 call.total_ms, call.service_ms);
    }
    std::unique_lock<std::mutex> guard(s_.mutex_);
    busy_[k] = false;
    busy_until_[k] = 0;
    report_.bytes_sent += u.request.bytes;
    bool merge_now = false;
    if (call.status.ok()) {
      report_.bytes_received += call.reply_bytes;
      merge_now = Deliver(j);
      report_.ran_slot[j] = static_cast<int>(k);
      report_.measured_ms[j] = call.total_ms;
      ++(u.tile < 0 ? node.stats.levels_done : node.stats.tiles_done);
    } else {
      ++node.stats.levels_failed;
      s_.Fail(node, call.status.message(), call.refusal);
      s_.Log("node " + node.endpoint.address + ": " + u.name + ": " + node.stats.last_error +
             (call.refusal ? "; not used again" : "; benched until its health check passes"));
      Reassign(j, "rerun");
      std::deque<size_t> left;
      left.swap(queues_[k]);
      for (size_t q : left) Reassign(q, "moved");
    }
    changed_.notify_all();
    guard.unlock();
    if (merge_now) Merge(u.job);
  }

  // Queues unit j where it now finishes first: the coordinator or a node that has not tried
  // it. Caller holds the lock.
  void Reassign(size_t j, const char* verb) {
    size_t best = 0;
    double best_t = 1e300;
    for (size_t k = 0; k < slots_; ++k) {
      if (k > 0 && (!Usable(j, k) || tried_[j].count(k))) continue;
      double t = busy_until_[k] + Predict(j, k);
      for (size_t q : queues_[k]) t += Predict(q, k);
      if (t < best_t) {
        best_t = t;
        best = k;
      }
    }
    queues_[best].push_back(j);
    s_.Log(units_.list[j].name + " " + verb + " " +
           (best == 0 ? std::string("locally") : "on " + s_.nodes_[best - 1]->endpoint.address));
  }

  // Takes unit j's answer (the caller holds the lock). True when it was the last tile of a
  // tiled level, which the caller then merges, without the lock.
  bool Deliver(size_t j) {
    ++finished_;
    const Unit& u = units_.list[j];
    if (u.tile < 0) {
      outputs_[u.job] = std::move(unit_outputs_[j].level);
      return false;
    }
    TiledLevel& t = *units_.tiled[u.job];
    t.outputs[static_cast<size_t>(u.tile)] = std::move(unit_outputs_[j].tile);
    return --t.left == 0;
  }

  // Merges the tiles of job `job`'s level (called without the lock).
  void Merge(size_t job) {
    const Stopwatch t0;
    Result<LevelOutput> level = MergeTiledLevel(jobs_[job], *units_.tiled[job]);
    std::lock_guard<std::mutex> guard(s_.mutex_);
    report_.merge_ms += t0.Milliseconds();
    if (level.ok()) {
      outputs_[job] = std::move(level).value();
    } else if (!error_) {
      error_ = level.status();
    }
    changed_.notify_all();
  }

  LevelScheduler& s_;
  const std::vector<LevelJob>& jobs_;
  Units& units_;
  RunReport& report_;
  const size_t n_;
  const size_t slots_;
  // Guarded by the scheduler's mutex.
  std::vector<LevelOutput> outputs_;
  std::vector<UnitOutput> unit_outputs_;
  std::vector<std::deque<size_t>> queues_;
  std::vector<bool> busy_;
  std::vector<double> busy_until_;  // predicted ms left of the running unit
  std::vector<std::set<size_t>> tried_;
  std::optional<Status> error_;  // a unit that failed in this process: the job is bad
  size_t finished_ = 0;
  std::condition_variable changed_;
  std::vector<std::thread> threads_;
};

Result<std::vector<LevelOutput>> LevelScheduler::Run(const std::vector<LevelJob>& jobs) {
  if (jobs.empty()) return std::vector<LevelOutput>();
  Units units(jobs, options_);
  std::map<std::string, std::string> hashes;  // options hash -> options JSON
  for (const Unit& u : units.list) hashes.emplace(u.request.options_hash, u.request.options_json);
  {
    std::vector<std::thread> prepare;
    for (auto& node : nodes_) {
      prepare.emplace_back([this, &node, &hashes] {
        for (const auto& [hash, json] : hashes) Prepare(*node, json, hash);
      });
    }
    CalibrateCoordinator();
    for (std::thread& t : prepare) t.join();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  for (const Unit& u : units.list) {
    units.costs.push_back(cost_.Cost(u.cost_key, static_cast<double>(u.pixels),
                                     static_cast<double>(u.request.bytes)));
  }
  RunReport report;
  const LevelPlan plan = Plan(units, report);
  Dispatch dispatch(*this, jobs, units, plan, report);
  Result<std::vector<LevelOutput>> outputs = dispatch.Run(lock);
  if (!outputs.ok()) return outputs;
  report_ = report;
  ++totals_.runs;
  totals_.replans += report.replanned ? 1 : 0;
  totals_.bytes_sent += report.bytes_sent;
  totals_.bytes_received += report.bytes_received;
  return outputs;
}

std::vector<NodeStats> LevelScheduler::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<NodeStats> out;
  for (const auto& node : nodes_) out.push_back(node->stats);
  return out;
}

int LevelScheduler::local_levels() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return local_levels_;
}

int LevelScheduler::local_tiles() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return local_tiles_;
}

RunReport LevelScheduler::last_run() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return report_;
}

LevelExecutorReport LevelScheduler::Report() const {
  std::lock_guard<std::mutex> lock(mutex_);
  LevelExecutorReport out = totals_;
  out.local_levels = local_levels_;
  out.local_tiles = local_tiles_;
  for (const auto& node : nodes_) out.nodes.push_back(node->stats);
  return out;
}

}  // namespace msrf::remote
