#include "msrf/fragments/edge_linking.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <set>

#include "msrf/pyramid/edge_detector.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

bool Adjacent8(cv::Point a, cv::Point b) {
  return std::abs(a.x - b.x) <= 1 && std::abs(a.y - b.y) <= 1 && a != b;
}

void ExpectConnected(const EdgeChain& c) {
  for (size_t i = 1; i < c.points.size(); ++i) {
    ASSERT_TRUE(Adjacent8(c.points[i - 1], c.points[i])) << "gap at point " << i;
  }
}

TEST(LinkEdges, TracesALineEndToEnd) {
  cv::Mat edges = cv::Mat::zeros(50, 100, CV_8U);
  cv::line(edges, {10, 20}, {90, 30}, cv::Scalar(255), 1, cv::LINE_8);
  const auto chains = LinkEdges(edges);
  ASSERT_EQ(chains.size(), 1U);
  EXPECT_FALSE(chains[0].closed);
  EXPECT_EQ(chains[0].points.size(), static_cast<size_t>(cv::countNonZero(edges)));
  ExpectConnected(chains[0]);
  const std::set<std::pair<int, int>> ends = {
      {chains[0].points.front().x, chains[0].points.front().y},
      {chains[0].points.back().x, chains[0].points.back().y}};
  EXPECT_EQ(ends, (std::set<std::pair<int, int>>{{10, 20}, {90, 30}}));
}

TEST(LinkEdges, TracesACircleAsOneClosedChain) {
  cv::Mat edges = cv::Mat::zeros(100, 100, CV_8U);
  cv::circle(edges, {50, 50}, 30, cv::Scalar(255), 1, cv::LINE_8);
  const auto chains = LinkEdges(ThinEdges(edges));
  ASSERT_EQ(chains.size(), 1U);
  EXPECT_TRUE(chains[0].closed);
  ExpectConnected(chains[0]);
  EXPECT_TRUE(Adjacent8(chains[0].points.front(), chains[0].points.back()));
}

TEST(LinkEdges, SplitsChainsAtJunctions) {
  cv::Mat edges = cv::Mat::zeros(100, 100, CV_8U);
  cv::line(edges, {10, 50}, {90, 50}, cv::Scalar(255), 1, cv::LINE_8);  // T: bar
  cv::line(edges, {50, 51}, {50, 90}, cv::Scalar(255), 1, cv::LINE_8);  // T: stem
  const auto chains = LinkEdges(edges);
  ASSERT_EQ(chains.size(), 3U);
  for (const EdgeChain& c : chains) {
    ExpectConnected(c);
    EXPECT_TRUE(c.points.front() == cv::Point(50, 50) || c.points.back() == cv::Point(50, 50));
  }
}

TEST(LinkEdges, SplitsACrossIntoFourArms) {
  cv::Mat edges = cv::Mat::zeros(100, 100, CV_8U);
  cv::line(edges, {10, 50}, {90, 50}, cv::Scalar(255), 1, cv::LINE_8);
  cv::line(edges, {50, 10}, {50, 90}, cv::Scalar(255), 1, cv::LINE_8);
  const auto chains = LinkEdges(edges);
  ASSERT_EQ(chains.size(), 4U);
  for (const EdgeChain& c : chains) EXPECT_GE(c.points.size(), 40U);
}

TEST(LinkEdges, CoversEveryEdgePixelOfAClutteredScene) {
  ClutterSceneOptions o;
  o.seed = 3;
  const SyntheticScene scene = DrawClutterScene(o);
  cv::Mat edges;
  cv::Canny(scene.image, edges, 40, 100, 3, true);
  edges = ThinEdges(edges);
  const auto chains = LinkEdges(edges);
  cv::Mat covered = cv::Mat::zeros(edges.size(), CV_8U);
  for (const EdgeChain& c : chains) {
    ExpectConnected(c);
    for (const cv::Point& p : c.points) {
      ASSERT_NE(edges.at<uint8_t>(p), 0) << "chain point off the edge map";
      covered.at<uint8_t>(p) = 255;
    }
  }
  // Only isolated pixels (no edge neighbour) may be left out.
  cv::Mat missed = edges & ~covered;
  int not_isolated = 0;
  for (int y = 1; y + 1 < edges.rows; ++y) {
    for (int x = 1; x + 1 < edges.cols; ++x) {
      if (!missed.at<uint8_t>(y, x)) continue;
      not_isolated += cv::countNonZero(edges(cv::Rect(x - 1, y - 1, 3, 3))) > 1;
    }
  }
  EXPECT_LE(not_isolated, cv::countNonZero(edges) / 200);
  EXPECT_EQ(LinkEdges(edges).size(), chains.size());  // deterministic
}

}  // namespace
}  // namespace msrf
