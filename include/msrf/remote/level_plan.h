// Placing pyramid levels on nodes: the cost model and the assignment that minimises the
// finish time of the slowest node.
//
// Node 0 is the coordinator itself (no link). The time of level l on node n is
//   t(l, n) = latency_n + bytes_l / bandwidth_n + work_l / speed_n,
// a node runs its levels one after another, and the makespan is the latest finish.
#pragma once

#include <cstddef>
#include <map>
#include <vector>

namespace msrf::remote {

struct NodeModel {
  double latency_ms = 0.0;    // round trip of an empty call
  double bytes_per_ms = 0.0;  // link bandwidth; <= 0 means no link (the coordinator)
  double work_per_ms = 1.0;   // compute speed, level pixels per millisecond, > 0
};

struct LevelCost {
  double work = 0.0;   // level pixels
  double bytes = 0.0;  // request plus answer
};

// t(l, n).
double PredictMs(const LevelCost& level, const NodeModel& node);

struct LevelPlan {
  std::vector<int> node_of_level;  // node_of_level[l] in [0, nodes)
  std::vector<double> finish_ms;   // per node
  double makespan_ms = 0.0;
  bool exact = false;  // proven optimal by the search
};

// The makespan of a given assignment.
LevelPlan Evaluate(const std::vector<int>& node_of_level, const std::vector<LevelCost>& levels,
                   const std::vector<NodeModel>& nodes);

// Longest first: levels by decreasing work, each to the node where it would finish first.
LevelPlan PlaceGreedy(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes);

// Branch and bound from the greedy placement; gives up after `max_steps` search steps and
// returns the best found (exact = false). Ties go to the lower node index, so the result
// is deterministic. With up to 8 levels and 8 nodes the search finishes well within the
// default budget.
LevelPlan PlaceLevels(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes,
                      long max_steps = 200000);

// The work of a level of `pixels`, in units of the calibration level's pixels:
// kWorkReferencePixels (pixels / kWorkReferencePixels)^kWorkExponent. A level's time grows
// more slowly than its area, since its edges, chains and fragments grow with the length of
// its contours: on generated scenes from 256x192 to 2048x1536, the 0.8th power predicts a
// level's time from the calibration level's within 10% (clutter) to 30% (a target in
// clutter), where pixels alone are off by up to 3x. The learned factors do the rest.
constexpr double kWorkReferencePixels = 512.0 * 384.0;  // the calibration level
constexpr double kWorkExponent = 0.8;
double LevelWork(double pixels);

// What an executor learns from the jobs it runs: each slot's NodeModel (slot 0 the
// coordinator), and per level index the work factor and the answer's size per request
// byte, shared by all slots.
//
// A level's work is LevelWork(pixels) times a factor learned per level (1 for the
// calibration level, level -1): levels differ in contour per pixel (with one speed per slot
// and no factor, a node that runs small levels would look slow). The first time a level is
// seen, its factor is read off the slot's speed. After that, a job whose time
// is within 2x of its prediction moves both its level's factor and the slot's speed towards
// it (geometric moving averages); a larger discrepancy is the slot's alone (a device that
// slowed down or recovered), and the speed jumps to it on a job of 20 ms or more, or on
// the second job in a row off by 2x the same way. A job's
// weight is 0.5 t / (t + 10 ms): a few ms of a busy machine's jitter on a short job move
// the figures little. Latency, bandwidth and answer sizes are moving averages (weight 0.5).
class CostModel {
 public:
  explicit CostModel(size_t slots = 1);
  size_t slots() const { return nodes_.size(); }

  // A slot is calibrated once it has a speed.
  bool calibrated(size_t slot) const { return nodes_.at(slot).work_per_ms > 0; }
  const NodeModel& node(size_t slot) const { return nodes_.at(slot); }

  // The round trip of an empty call to `slot` (> 0).
  void ObserveLatency(size_t slot, double ms);
  // A call to node `slot` (> 0) for `level` (-1: the calibration level; any other key names
  // a kind of work, such as a tile of a level) of `pixels`: its request and answer sizes,
  // the call's time and the node's own service time.
  void ObserveCall(size_t slot, int level, double pixels, double request_bytes, double reply_bytes,
                   double total_ms, double service_ms);
  // A level run by the coordinator (slot 0).
  void ObserveLocal(int level, double pixels, double ms);

  // The predicted cost of `level` of `pixels` whose request is `request_bytes`.
  LevelCost Cost(int level, double pixels, double request_bytes) const;
  // The factor on LevelWork for `level` (1 until it is seen, and for level -1).
  double WorkFactor(int level) const;
  double ReplyPerRequestByte(int level) const;

 private:
  void ObserveWork(size_t slot, int level, double pixels, double ms);

  std::vector<NodeModel> nodes_;
  std::vector<int> last_off_;  // per slot: the last job was more than 2x slow (+1), fast (-1)
  std::map<int, double> work_factor_;
  std::map<int, double> reply_per_request_byte_;
};

}  // namespace msrf::remote
