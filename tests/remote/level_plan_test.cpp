// Level plans against brute force, and the cost model's learning on simulated fleets.
#include <gtest/gtest.h>

#include <random>

#include "msrf/remote/level_plan.h"

namespace msrf::remote {
namespace level_plan_test {  // named: the remote tests are one unity build

double BruteForce(const std::vector<LevelCost>& levels, const std::vector<NodeModel>& nodes) {
  const size_t L = levels.size(), N = nodes.size();
  std::vector<int> a(L, 0);
  double best = 1e300;
  while (true) {
    best = std::min(best, Evaluate(a, levels, nodes).makespan_ms);
    size_t i = 0;
    while (i < L && ++a[i] == static_cast<int>(N)) a[i++] = 0;
    if (i == L) break;
  }
  return best;
}

TEST(LevelPlan, ExactSearchMatchesBruteForceOnRandomFleets) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int greedy_worse = 0;
  for (int trial = 0; trial < 300; ++trial) {
    const int L = 1 + trial % 7;
    const int N = 1 + (trial / 7) % 5;
    std::vector<LevelCost> levels;
    double w = 400000.0 * (0.5 + u(rng));
    for (int l = 0; l < L; ++l, w /= 1.6 + u(rng)) levels.push_back({w, 0.3 * w + 1000 * u(rng)});
    std::vector<NodeModel> nodes = {{0.0, 0.0, 5000.0 * (0.5 + u(rng))}};
    for (int n = 1; n < N; ++n) {
      nodes.push_back({0.2 + 20 * u(rng), 1000.0 + 100000.0 * u(rng), 2000.0 + 20000.0 * u(rng)});
    }
    const LevelPlan exact = PlaceLevels(levels, nodes);
    const LevelPlan greedy = PlaceGreedy(levels, nodes);
    const double optimum = BruteForce(levels, nodes);
    ASSERT_TRUE(exact.exact);
    EXPECT_NEAR(exact.makespan_ms, optimum, 1e-9 * optimum) << "trial " << trial;
    EXPECT_GE(greedy.makespan_ms, optimum - 1e-9 * optimum);
    EXPECT_EQ(Evaluate(exact.node_of_level, levels, nodes).makespan_ms, exact.makespan_ms);
    greedy_worse += greedy.makespan_ms > optimum * (1 + 1e-9);
  }
  EXPECT_GT(greedy_worse, 0) << "the fleets should include some where greedy is not optimal";
}

TEST(LevelPlan, LongestFirstIsBeatenWhereItIsKnownToBe) {
  // Works 3, 3, 2, 2, 2 on two equal nodes: longest first gives 7, the optimum is 6.
  const std::vector<LevelCost> levels = {{3, 0}, {3, 0}, {2, 0}, {2, 0}, {2, 0}};
  const std::vector<NodeModel> nodes = {{0, 0, 1}, {0, 0, 1}};
  EXPECT_DOUBLE_EQ(PlaceGreedy(levels, nodes).makespan_ms, 7.0);
  const LevelPlan p = PlaceLevels(levels, nodes);
  EXPECT_TRUE(p.exact);
  EXPECT_DOUBLE_EQ(p.makespan_ms, 6.0);
}

TEST(LevelPlan, SlowNodesAndSlowLinksGetLessWork) {
  const std::vector<LevelCost> levels = {
      {800000, 1e6}, {400000, 5e5}, {200000, 2.5e5}, {100000, 1.2e5}};
  // The coordinator, a fast node on a good link, a fast node on a poor link, a slow node.
  const std::vector<NodeModel> nodes = {
      {0, 0, 4000}, {1, 100000, 8000}, {1, 100, 8000}, {1, 100000, 500}};
  const LevelPlan p = PlaceLevels(levels, nodes);
  EXPECT_EQ(p.node_of_level[0], 1);  // the biggest level to the fast, well-linked node
  for (int n : p.node_of_level) EXPECT_NE(n, 2) << "a 100 bytes/ms link is never worth it";
  EXPECT_LE(p.makespan_ms, PlaceGreedy(levels, nodes).makespan_ms);
}

TEST(LevelPlan, LargeFleetsFallBackWithinTheBudget) {
  std::vector<LevelCost> levels;
  for (int l = 0; l < 16; ++l) levels.push_back({1000.0 + 37 * l, 10.0});
  std::vector<NodeModel> nodes = {{0, 0, 10}};
  for (int n = 1; n < 9; ++n) nodes.push_back({0.5 * n, 1e4, 10.0 + n});
  const LevelPlan p = PlaceLevels(levels, nodes, 20000);
  EXPECT_LE(p.makespan_ms, PlaceGreedy(levels, nodes).makespan_ms);
  EXPECT_EQ(p.node_of_level.size(), levels.size());
}

// A simulated fleet whose true figures the cost model has to learn from the jobs' times:
// slot 0 the coordinator, then nodes of other speeds behind other links; levels 0..3 of a
// 1024x768 pyramid whose work per pixel grows with the level, unlike the calibration level's.
struct Fleet {
  std::vector<double> speed = {100.0, 50.0, 20.0};     // calibration pixels per ms
  std::vector<double> bytes_per_ms = {0.0, 1e5, 3e3};  // the coordinator has no link
  std::vector<double> latency = {0.0, 0.5, 4.0};
  std::vector<double> pixels = {786432, 196608, 49152, 12288};
  std::vector<double> work_per_pixel = {0.8, 1.3, 1.9, 2.6};
  std::vector<double> request = {786500, 196700, 49200, 12300};
  std::vector<double> reply = {60000, 40000, 30000, 20000};

  double ServiceMs(size_t slot, size_t level) const {
    return pixels[level] * work_per_pixel[level] / speed[slot];
  }
  double CallMs(size_t slot, size_t level) const {
    return latency[slot] + (request[level] + reply[level]) / bytes_per_ms[slot] +
           ServiceMs(slot, level);
  }
  // What the model is told by slot `slot` running `level`.
  void Run(CostModel& model, size_t slot, size_t level) const {
    const int l = static_cast<int>(level);
    if (slot == 0) {
      model.ObserveLocal(l, pixels[level], ServiceMs(0, level));
    } else {
      model.ObserveCall(slot, l, pixels[level], request[level], reply[level], CallMs(slot, level),
                        ServiceMs(slot, level));
    }
  }
  void Calibrate(CostModel& model) const {
    const double cal_pixels = 65536, cal_request = 65600, cal_reply = 20000;
    model.ObserveLocal(-1, cal_pixels, cal_pixels / speed[0]);
    for (size_t k = 1; k < speed.size(); ++k) {
      model.ObserveLatency(k, latency[k]);
      model.ObserveCall(
          k, -1, cal_pixels, cal_request, cal_reply,
          latency[k] + (cal_request + cal_reply) / bytes_per_ms[k] + cal_pixels / speed[k],
          cal_pixels / speed[k]);
    }
  }
  double TrueMs(size_t slot, size_t level) const {
    return slot == 0 ? ServiceMs(0, level) : CallMs(slot, level);
  }
  double PredictedMs(const CostModel& model, size_t slot, size_t level) const {
    return PredictMs(model.Cost(static_cast<int>(level), pixels[level], request[level]),
                     model.node(slot));
  }
};

TEST(CostModel, LearnsLevelsOnSomeSlotsAndPredictsThemOnOthers) {
  const Fleet fleet;
  CostModel model(3);
  fleet.Calibrate(model);
  // Pixels alone are far off: level 3 costs 2.6 calibration pixels each.
  EXPECT_GT(std::abs(fleet.PredictedMs(model, 2, 3) / fleet.TrueMs(2, 3) - 1.0), 0.3);
  // Five images, each slot always running the same levels: the coordinator 0 and 1, node 1
  // level 2, node 2 level 3. No slot ever runs another slot's levels.
  for (int image = 0; image < 5; ++image) {
    for (auto [slot, level] : {std::pair<size_t, size_t>{0, 0}, {0, 1}, {1, 2}, {2, 3}})
      fleet.Run(model, slot, level);
  }
  for (size_t slot = 0; slot < 3; ++slot) {
    for (size_t level = 0; level < 4; ++level) {
      EXPECT_NEAR(fleet.PredictedMs(model, slot, level) / fleet.TrueMs(slot, level), 1.0, 0.05)
          << "slot " << slot << ", level " << level;
    }
  }
  // The answer sizes were learned per level.
  EXPECT_NEAR(model.Cost(3, fleet.pixels[3], fleet.request[3]).bytes,
              fleet.request[3] + fleet.reply[3], 1.0);
}

TEST(CostModel, BelievesASlowedNodeAtOnceAndKeepsTheLevelsCosts) {
  Fleet fleet;
  CostModel model(3);
  fleet.Calibrate(model);
  for (int image = 0; image < 3; ++image) {
    for (auto [slot, level] : {std::pair<size_t, size_t>{0, 0}, {1, 1}, {1, 2}, {2, 3}})
      fleet.Run(model, slot, level);
  }
  const double level_cost = model.WorkFactor(2);
  fleet.speed[1] /= 8;  // node 1 slows down 8x
  fleet.Run(model, 1, 1);
  // One job is enough to believe it, for its other levels too; the levels' costs stay.
  EXPECT_NEAR(fleet.PredictedMs(model, 1, 2) / fleet.TrueMs(1, 2), 1.0, 0.05);
  EXPECT_NEAR(fleet.PredictedMs(model, 1, 0) / fleet.TrueMs(1, 0), 1.0, 0.05);
  EXPECT_DOUBLE_EQ(model.WorkFactor(2), level_cost);
  // And placing the next image moves work off it.
  std::vector<LevelCost> costs;
  for (size_t level = 0; level < 4; ++level) {
    costs.push_back(model.Cost(static_cast<int>(level), fleet.pixels[level], fleet.request[level]));
  }
  const LevelPlan plan = PlaceLevels(costs, {model.node(0), model.node(1), model.node(2)});
  double on_node_1 = 0;
  for (size_t level = 0; level < 4; ++level) {
    if (plan.node_of_level[level] == 1) on_node_1 += costs[level].work;
  }
  EXPECT_LT(on_node_1, costs[2].work + 1.0);  // at most a small level is left to it
}

TEST(CostModel, AShortOutlierMovesASpeedLittleTwoInARowAreBelieved) {
  CostModel model(1);
  model.ObserveLocal(-1, kWorkReferencePixels, 4.0);  // calibration: 4 ms
  model.ObserveLocal(3, 10000, 1.0);                  // level 3 first seen: its factor
  const double speed = model.node(0).work_per_ms;
  model.ObserveLocal(3, 10000, 5.0);  // one job 5x slow, short: machine jitter, most likely
  EXPECT_GT(model.node(0).work_per_ms, 0.6 * speed);
  model.ObserveLocal(3, 10000, 1.0);
  EXPECT_GT(model.node(0).work_per_ms, 0.6 * speed);
  model.ObserveLocal(3, 10000, 5.0);  // then two in a row: the slot did slow down
  model.ObserveLocal(3, 10000, 5.0);
  EXPECT_NEAR(model.node(0).work_per_ms / speed, 0.2, 0.02);
}

TEST(CostModel, UnseenFiguresHaveNeutralDefaults) {
  CostModel model(2);
  EXPECT_FALSE(model.calibrated(0));
  EXPECT_FALSE(model.calibrated(1));
  EXPECT_EQ(model.WorkFactor(0), 1.0);
  EXPECT_EQ(model.WorkFactor(-1), 1.0);
  EXPECT_EQ(model.Cost(0, 100, 1000).bytes, 1500.0);  // answers guessed at half the request
  model.ObserveLocal(-1, kWorkReferencePixels, 10);
  EXPECT_TRUE(model.calibrated(0));
  EXPECT_DOUBLE_EQ(model.node(0).work_per_ms, kWorkReferencePixels / 10);
  model.ObserveLocal(-1, kWorkReferencePixels, 0.0);  // no time: ignored
  EXPECT_DOUBLE_EQ(model.node(0).work_per_ms, kWorkReferencePixels / 10);
  // Work grows as the 0.8th power of the pixels: 16 times the pixels, 9.19 times the work.
  EXPECT_NEAR(LevelWork(16 * kWorkReferencePixels) / LevelWork(kWorkReferencePixels), 9.19, 0.01);
  EXPECT_EQ(LevelWork(0), 0.0);
}

}  // namespace level_plan_test
}  // namespace msrf::remote
