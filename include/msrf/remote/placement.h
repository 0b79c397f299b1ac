// Placing pyramid levels on nodes: the cost model and the assignment that minimises the
// finish time of the slowest node.
//
// Node 0 is the coordinator itself (no link). The time of level l on node n is
//   t(l, n) = latency_n + bytes_l / bandwidth_n + work_l / speed_n,
// a node runs its levels one after another, and the makespan is the latest finish.
#pragma once

#include <vector>

namespace msrf::remote {

struct NodeModel {
  double latency_ms = 0.0;          // round trip of an empty call
  double bytes_per_ms = 0.0;        // link bandwidth; <= 0 means no link (the coordinator)
  double work_per_ms = 1.0;         // compute speed, level pixels per millisecond, > 0
};

struct LevelCost {
  double work = 0.0;   // level pixels
  double bytes = 0.0;  // request plus answer
};

// t(l, n).
double PredictMs(const LevelCost& level, const NodeModel& node);

struct Placement {
  std::vector<int> node_of_level;  // node_of_level[l] in [0, nodes)
  std::vector<double> finish_ms;   // per node
  double makespan_ms = 0.0;
  bool exact = false;              // proven optimal by the search
};

// The makespan of a given assignment.
Placement Evaluate(const std::vector<int>& node_of_level, const std::vector<LevelCost>& levels,
                   const std::vector<NodeModel>& nodes);

// Longest first: levels by decreasing work, each to the node where it would finish first.
Placement PlaceGreedy(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes);

// Branch and bound from the greedy placement; gives up after `max_steps` search steps and
// returns the best found (exact = false). Ties go to the lower node index, so the result
// is deterministic. With up to 8 levels and 8 nodes the search finishes well within the
// default budget.
Placement PlaceLevels(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes,
                      long max_steps = 200000);

}  // namespace msrf::remote
