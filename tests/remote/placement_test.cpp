// Placement against brute force.
#include <gtest/gtest.h>

#include <random>

#include "msrf/remote/placement.h"

namespace msrf::remote {
namespace {

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

TEST(Placement, ExactSearchMatchesBruteForceOnRandomFleets) {
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
    const Placement exact = PlaceLevels(levels, nodes);
    const Placement greedy = PlaceGreedy(levels, nodes);
    const double optimum = BruteForce(levels, nodes);
    ASSERT_TRUE(exact.exact);
    EXPECT_NEAR(exact.makespan_ms, optimum, 1e-9 * optimum) << "trial " << trial;
    EXPECT_GE(greedy.makespan_ms, optimum - 1e-9 * optimum);
    EXPECT_EQ(Evaluate(exact.node_of_level, levels, nodes).makespan_ms, exact.makespan_ms);
    greedy_worse += greedy.makespan_ms > optimum * (1 + 1e-9);
  }
  EXPECT_GT(greedy_worse, 0) << "the fleets should include some where greedy is not optimal";
}

TEST(Placement, LongestFirstIsBeatenWhereItIsKnownToBe) {
  // Works 3, 3, 2, 2, 2 on two equal nodes: longest first gives 7, the optimum is 6.
  const std::vector<LevelCost> levels = {{3, 0}, {3, 0}, {2, 0}, {2, 0}, {2, 0}};
  const std::vector<NodeModel> nodes = {{0, 0, 1}, {0, 0, 1}};
  EXPECT_DOUBLE_EQ(PlaceGreedy(levels, nodes).makespan_ms, 7.0);
  const Placement p = PlaceLevels(levels, nodes);
  EXPECT_TRUE(p.exact);
  EXPECT_DOUBLE_EQ(p.makespan_ms, 6.0);
}

TEST(Placement, SlowNodesAndSlowLinksGetLessWork) {
  const std::vector<LevelCost> levels = {{800000, 1e6}, {400000, 5e5}, {200000, 2.5e5}, {100000, 1.2e5}};
  // The coordinator, a fast node on a good link, a fast node on a poor link, a slow node.
  const std::vector<NodeModel> nodes = {
      {0, 0, 4000}, {1, 100000, 8000}, {1, 100, 8000}, {1, 100000, 500}};
  const Placement p = PlaceLevels(levels, nodes);
  EXPECT_EQ(p.node_of_level[0], 1);  // the biggest level to the fast, well-linked node
  for (int n : p.node_of_level) EXPECT_NE(n, 2) << "a 100 bytes/ms link is never worth it";
  EXPECT_LE(p.makespan_ms, PlaceGreedy(levels, nodes).makespan_ms);
}

TEST(Placement, LargeFleetsFallBackWithinTheBudget) {
  std::vector<LevelCost> levels;
  for (int l = 0; l < 16; ++l) levels.push_back({1000.0 + 37 * l, 10.0});
  std::vector<NodeModel> nodes = {{0, 0, 10}};
  for (int n = 1; n < 9; ++n) nodes.push_back({0.5 * n, 1e4, 10.0 + n});
  const Placement p = PlaceLevels(levels, nodes, 20000);
  EXPECT_LE(p.makespan_ms, PlaceGreedy(levels, nodes).makespan_ms);
  EXPECT_EQ(p.node_of_level.size(), levels.size());
}

}  // namespace
}  // namespace msrf::remote
