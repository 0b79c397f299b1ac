#include "msrf/remote/level_plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace msrf::remote {

double PredictMs(const LevelCost& level, const NodeModel& node) {
  double t = level.work / node.work_per_ms;
  if (node.bytes_per_ms > 0) t += node.latency_ms + level.bytes / node.bytes_per_ms;
  return t;
}

LevelPlan Evaluate(const std::vector<int>& node_of_level, const std::vector<LevelCost>& levels,
                   const std::vector<NodeModel>& nodes) {
  LevelPlan p;
  p.node_of_level = node_of_level;
  p.finish_ms.assign(nodes.size(), 0.0);
  for (size_t l = 0; l < levels.size(); ++l) {
    const int n = node_of_level[l];
    p.finish_ms[static_cast<size_t>(n)] += PredictMs(levels[l], nodes[static_cast<size_t>(n)]);
  }
  p.makespan_ms =
      p.finish_ms.empty() ? 0.0 : *std::max_element(p.finish_ms.begin(), p.finish_ms.end());
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
  LevelPlan best;
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

LevelPlan PlaceGreedy(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes) {
  std::vector<int> assignment(levels.size(), 0);
  std::vector<double> finish(nodes.size(), 0.0);
  for (size_t l : LongestFirst(levels)) {
    size_t best = 0;
    for (size_t n = 1; n < nodes.size(); ++n) {
      if (finish[n] + PredictMs(levels[l], nodes[n]) <
          finish[best] + PredictMs(levels[l], nodes[best])) {
        best = n;
      }
    }
    finish[best] += PredictMs(levels[l], nodes[best]);
    assignment[l] = static_cast<int>(best);
  }
  return Evaluate(assignment, levels, nodes);
}

LevelPlan PlaceLevels(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes,
                      long max_steps) {
  LevelPlan greedy = PlaceGreedy(levels, nodes);
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
  LevelPlan out = Evaluate(s.best.node_of_level, levels, nodes);
  out.exact = !s.aborted;
  return out;
}

namespace {

constexpr double kAlpha = 0.5;  // weight of the newest measurement
// A machine's jitter (scheduling, other load) adds a few ms to any job: a job of that length
// says little about a speed, a job many times longer says much.
constexpr double kJitterMs = 10.0;
// A speed off by more than 2x is believed at once only from a job at least this long.
constexpr double kJumpMs = 2 * kJitterMs;

double Ema(double old_value, double sample) {
  return old_value > 0 ? (1 - kAlpha) * old_value + kAlpha * sample : sample;
}

// How far one job of `ms` moves a figure: kAlpha for a long job, little for a short one.
double Weight(double ms) { return kAlpha * ms / (ms + kJitterMs); }

}  // namespace

CostModel::CostModel(size_t slots)
    : nodes_(std::max<size_t>(slots, 1), NodeModel{0.0, 0.0, 0.0}), last_off_(nodes_.size(), 0) {}

void CostModel::ObserveLatency(size_t slot, double ms) {
  NodeModel& n = nodes_.at(slot);
  n.latency_ms = Ema(n.latency_ms, std::max(0.0, ms));
}

double LevelWork(double pixels) {
  return pixels > 0 ? kWorkReferencePixels * std::pow(pixels / kWorkReferencePixels, kWorkExponent)
                    : 0.0;
}

void CostModel::ObserveWork(size_t slot, int level, double pixels, double ms) {
  if (!(ms > 0.01) || !(pixels > 0)) return;
  NodeModel& node = nodes_.at(slot);
  const double work = LevelWork(pixels);
  if (node.work_per_ms > 0 && level >= 0) {
    const double implied =
        ms * node.work_per_ms / work;  // the level's factor, were the speed right
    const auto it = work_factor_.find(level);
    if (it == work_factor_.end()) {
      work_factor_[level] = implied;  // a level seen for the first time: the speed is known
      return;
    }
    const double ratio = implied / it->second;
    if (ratio > 0.5 && ratio < 2.0) it->second *= std::pow(ratio, Weight(ms));
  }
  const double sample = work * WorkFactor(level) / ms;
  const double ratio = node.work_per_ms > 0 ? sample / node.work_per_ms : 0.0;
  const int off = ratio > 2.0 ? 1 : ratio < 0.5 ? -1 : 0;
  if (node.work_per_ms <= 0 || (off != 0 && (ms >= kJumpMs || off == last_off_[slot]))) {
    node.work_per_ms = sample;
    last_off_[slot] = 0;
  } else {
    node.work_per_ms *= std::pow(ratio, Weight(ms));  // geometric: an outlier moves it little
    last_off_[slot] = off;
  }
}

void CostModel::ObserveCall(size_t slot, int level, double pixels, double request_bytes,
                            double reply_bytes, double total_ms, double service_ms) {
  ObserveWork(slot, level, pixels, service_ms);
  NodeModel& n = nodes_.at(slot);
  const double transfer = std::max(0.05, total_ms - service_ms - n.latency_ms);
  n.bytes_per_ms =
      std::clamp(Ema(n.bytes_per_ms, (request_bytes + reply_bytes) / transfer), 10.0, 1e7);
  if (request_bytes > 0) {
    const auto it = reply_per_request_byte_.find(level);
    const double ratio = reply_bytes / request_bytes;
    reply_per_request_byte_[level] =
        it == reply_per_request_byte_.end() ? ratio : Ema(it->second, ratio);
  }
}

void CostModel::ObserveLocal(int level, double pixels, double ms) {
  ObserveWork(0, level, pixels, ms);
}

double CostModel::WorkFactor(int level) const {
  const auto it = work_factor_.find(level);
  return level < 0 || it == work_factor_.end() ? 1.0 : it->second;
}

double CostModel::ReplyPerRequestByte(int level) const {
  auto it = reply_per_request_byte_.find(level);
  if (it == reply_per_request_byte_.end()) it = reply_per_request_byte_.find(-1);
  return it == reply_per_request_byte_.end() ? 0.5 : it->second;
}

LevelCost CostModel::Cost(int level, double pixels, double request_bytes) const {
  return {LevelWork(pixels) * WorkFactor(level),
          request_bytes * (1.0 + ReplyPerRequestByte(level))};
}

}  // namespace msrf::remote
