#include "msrf/shape/untangle.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "msrf/shape/polygon_check.h"

namespace msrf {
namespace {

TEST(UntangleClosedPolygon, UncrossesABowTieKeepingItsPoints) {
  std::vector<cv::Point2d> p = {{0, 0}, {10, 10}, {10, 0}, {0, 10}};
  std::vector<uint8_t> drawn = {1, 1, 0, 1};
  ASSERT_TRUE(FindTouchingEdges(p));
  ASSERT_TRUE(UntangleClosedPolygon(p, drawn, 10).ok());
  EXPECT_FALSE(FindTouchingEdges(p));
  ASSERT_EQ(p.size(), 4U);
  for (const cv::Point2d q :
       {cv::Point2d(0, 0), cv::Point2d(10, 10), cv::Point2d(10, 0), cv::Point2d(0, 10)}) {
    EXPECT_NE(std::find(p.begin(), p.end(), q), p.end());
  }
  // The two new edges replace a drawn and an undrawn one: neither is drawn.
  EXPECT_EQ(drawn, (std::vector<uint8_t>{0, 1, 0, 1}));
}

TEST(UntangleClosedPolygon, MakesEveryRandomPolygonSimple) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 100.0);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<cv::Point2d> p(40);
    for (cv::Point2d& q : p) q = {u(rng), u(rng)};
    std::vector<uint8_t> drawn(p.size(), 1);
    ASSERT_TRUE(UntangleClosedPolygon(p, drawn, 100000).ok()) << trial;
    EXPECT_FALSE(FindTouchingEdges(p)) << trial;
  }
}

TEST(UntangleClosedPolygon, GivesUpWhereTheOutlineRunsTwiceThroughOnePoint) {
  // Two triangles meeting at (5, 5): no swap of the edges that touch there shortens it.
  std::vector<cv::Point2d> p = {{0, 0}, {10, 0}, {5, 5}, {10, 10}, {0, 10}, {5, 5}};
  std::vector<uint8_t> drawn(p.size(), 1);
  const Status st = UntangleClosedPolygon(p, drawn, 100);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("could not be untangled"), std::string::npos) << st.message();
}

TEST(UntangleClosedPolygon, StopsAfterTheMovesAllowed) {
  std::vector<cv::Point2d> p = {{0, 0}, {10, 10}, {10, 0}, {0, 10}};
  std::vector<uint8_t> drawn(p.size(), 1);
  EXPECT_FALSE(UntangleClosedPolygon(p, drawn, 0).ok());
}

}  // namespace
}  // namespace msrf
