#include "msrf/remote/placement.h"

#include <algorithm>
#include <numeric>

namespace msrf::remote {

double PredictMs(const LevelCost& level, const NodeModel& node) {
  double t = level.work / node.work_per_ms;
  if (node.bytes_per_ms > 0) t += node.latency_ms + level.bytes / node.bytes_per_ms;
  return t;
}

Placement Evaluate(const std::vector<int>& node_of_level, const std::vector<LevelCost>& levels,
                   const std::vector<NodeModel>& nodes) {
  Placement p;
  p.node_of_level = node_of_level;
  p.finish_ms.assign(nodes.size(), 0.0);
  for (size_t l = 0; l < levels.size(); ++l) {
    const int n = node_of_level[l];
    p.finish_ms[static_cast<size_t>(n)] += PredictMs(levels[l], nodes[static_cast<size_t>(n)]);
  }
  p.makespan_ms = p.finish_ms.empty() ? 0.0 : *std::max_element(p.finish_ms.begin(), p.finish_ms.end());
  return p;
}

namespace {

// Levels by decreasing work (ties by index): the order both searches take them in.
std::vector<size_t> LongestFirst(const std::vector<LevelCost>& levels) {
  std::vector<size_t> order(levels.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return levels[a].work > levels[b].work; });
  return order;
}

struct Search {
  const std::vector<LevelCost>& levels;
  const std::vector<NodeModel>& nodes;
  std::vector<size_t> order;
  std::vector<std::vector<double>> t;  // t[l][n]
  std::vector<double> min_rest;        // sum over order[i..] of min_n t, per depth i
  std::vector<int> current;
  std::vector<double> finish;
  Placement best;
  long steps = 0;
  long max_steps = 0;
  bool aborted = false;

  void Run(size_t depth, double makespan) {
    if (aborted) return;
    if (++steps > max_steps) {
      aborted = true;
      return;
    }
    if (depth == order.size()) {
      if (makespan < best.makespan_ms) {
        best.node_of_level = current;
        best.finish_ms = finish;
        best.makespan_ms = makespan;
      }
      return;
    }
    // Bound: the remaining work spread perfectly over every node.
    const double total = std::accumulate(finish.begin(), finish.end(), 0.0) + min_rest[depth];
    if (std::max(makespan, total / static_cast<double>(nodes.size())) >= best.makespan_ms) return;
    const size_t l = order[depth];
    for (size_t n = 0; n < nodes.size(); ++n) {
      const double f = finish[n] + t[l][n];
      if (f >= best.makespan_ms) continue;
      // Two nodes alike in model and load are interchangeable: try the first only.
      bool duplicate = false;
      for (size_t m = 0; m < n && !duplicate; ++m) {
        duplicate = finish[m] == finish[n] && nodes[m].latency_ms == nodes[n].latency_ms &&
                    nodes[m].bytes_per_ms == nodes[n].bytes_per_ms &&
                    nodes[m].work_per_ms == nodes[n].work_per_ms;
      }
      if (duplicate) continue;
      finish[n] = f;
      current[l] = static_cast<int>(n);
      Run(depth + 1, std::max(makespan, f));
      finish[n] -= t[l][n];
    }
  }
};

}  // namespace

Placement PlaceGreedy(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes) {
  std::vector<int> assignment(levels.size(), 0);
  std::vector<double> finish(nodes.size(), 0.0);
  for (size_t l : LongestFirst(levels)) {
    size_t best = 0;
    for (size_t n = 1; n < nodes.size(); ++n) {
      if (finish[n] + PredictMs(levels[l], nodes[n]) < finish[best] + PredictMs(levels[l], nodes[best])) {
        best = n;
      }
    }
    finish[best] += PredictMs(levels[l], nodes[best]);
    assignment[l] = static_cast<int>(best);
  }
  return Evaluate(assignment, levels, nodes);
}

Placement PlaceLevels(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes,
                      long max_steps) {
  Placement greedy = PlaceGreedy(levels, nodes);
  if (levels.empty() || nodes.empty()) {
    greedy.exact = true;
    return greedy;
  }
  Search s{levels, nodes, LongestFirst(levels), {}, {}, {}, {}, greedy, 0, max_steps, false};
  s.t.assign(levels.size(), std::vector<double>(nodes.size()));
  for (size_t l = 0; l < levels.size(); ++l) {
    for (size_t n = 0; n < nodes.size(); ++n) s.t[l][n] = PredictMs(levels[l], nodes[n]);
  }
  s.min_rest.assign(levels.size() + 1, 0.0);
  for (size_t i = levels.size(); i-- > 0;) {
    const std::vector<double>& row = s.t[s.order[i]];
    s.min_rest[i] = s.min_rest[i + 1] + *std::min_element(row.begin(), row.end());
  }
  s.current.assign(levels.size(), 0);
  s.finish.assign(nodes.size(), 0.0);
  s.Run(0, 0.0);
  Placement out = Evaluate(s.best.node_of_level, levels, nodes);
  out.exact = !s.aborted;
  return out;
}

}  // namespace msrf::remote
