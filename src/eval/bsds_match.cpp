// Maximum-cardinality matching of detected to human boundary pixels: Hopcroft-Karp on the
// bipartite graph of pairs within reach, started from the last threshold's matching and a
// greedy nearest-first pass.
#include "bsds_internal.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <tuple>

#include "msrf/eval/bsds.h"

namespace msrf {
namespace internal {

HumanPixelIndex::HumanPixelIndex(const cv::Mat& human, double max_distance) {
  CV_Assert(human.type() == CV_8UC1 && max_distance >= 0.0);
  pad_ = static_cast<int>(std::floor(max_distance));
  stride_ = human.cols + 2 * pad_;
  index_.assign(static_cast<size_t>(stride_) * static_cast<size_t>(human.rows + 2 * pad_), -1);
  for (int y = 0; y < human.rows; ++y) {
    const auto* row = human.ptr<uint8_t>(y);
    for (int x = 0; x < human.cols; ++x) {
      if (row[x] == 0) continue;
      index_[static_cast<size_t>(y + pad_) * static_cast<size_t>(stride_) +
             static_cast<size_t>(x + pad_)] = size();
      pixels_.emplace_back(x, y);
    }
  }
  // Offsets nearest first (then in raster order), so that the greedy start pairs each
  // detected pixel with the nearest free human one.
  std::vector<std::tuple<int, int, int>> within;  // (squared distance, dy, dx)
  const double reach2 = max_distance * max_distance;
  for (int dy = -pad_; dy <= pad_; ++dy) {
    for (int dx = -pad_; dx <= pad_; ++dx) {
      if (dx * dx + dy * dy <= reach2) within.emplace_back(dx * dx + dy * dy, dy, dx);
    }
  }
  std::sort(within.begin(), within.end());
  for (const auto& [d2, dy, dx] : within) offsets_.push_back(dy * stride_ + dx);
  // Most detected pixels have no human pixel within reach: one look at `near_` skips them.
  near_.assign(index_.size(), 0);
  for (const cv::Point& p : pixels_) {
    const int base = (p.y + pad_) * stride_ + p.x + pad_;
    for (int offset : offsets_) near_[static_cast<size_t>(base - offset)] = 1;
  }
}

void HumanPixelIndex::AppendNeighbours(cv::Point p, std::vector<int>* neighbours) const {
  const int base = (p.y + pad_) * stride_ + p.x + pad_;
  if (near_[static_cast<size_t>(base)] == 0) return;
  for (int offset : offsets_) {
    const int at = base + offset;
    const int v = index_[static_cast<size_t>(at)];
    if (v >= 0) neighbours->push_back(v);
  }
}

BoundaryMatcher::BoundaryMatcher(const HumanPixelIndex& human,
                                 const std::vector<cv::Point>& candidates)
    : human_(human), candidates_(candidates), match_right_(static_cast<size_t>(human.size()), -1) {}

int BoundaryMatcher::Match(size_t taken, const std::vector<uint8_t>& detected) {
  CV_Assert(taken >= match_left_.size() && taken <= candidates_.size() && detected.size() >= taken);
  while (begin_.size() <= taken) {
    human_.AppendNeighbours(candidates_[begin_.size() - 1], &adjacent_);
    begin_.push_back(static_cast<int>(adjacent_.size()));
  }
  match_left_.resize(taken, -1);
  layer_.resize(taken);
  next_.resize(taken);
  // Pairs whose detected pixel is gone (thinning a larger map can drop a pixel) are undone;
  // the rest is a matching of the new graph to start from.
  active_.clear();
  for (size_t i = 0; i < taken; ++i) {
    if (detected[i] == 0) {
      if (match_left_[i] >= 0) match_right_[static_cast<size_t>(match_left_[i])] = -1;
      match_left_[i] = -1;
    } else if (begin_[i] < begin_[i + 1]) {
      active_.push_back(static_cast<int>(i));
    }
  }
  auto first = [&](int u) { return begin_[static_cast<size_t>(u)]; };
  auto end = [&](int u) { return begin_[static_cast<size_t>(u) + 1]; };
  auto adjacent = [&](int e) { return adjacent_[static_cast<size_t>(e)]; };
  for (int u : active_) {
    if (match_left_[static_cast<size_t>(u)] >= 0) continue;
    for (int e = first(u); e < end(u); ++e) {
      const auto v = static_cast<size_t>(adjacent(e));
      if (match_right_[v] < 0) {
        match_left_[static_cast<size_t>(u)] = static_cast<int>(v);
        match_right_[v] = u;
        break;
      }
    }
  }

  // Phases: a breadth-first search layers the free detected pixels and those reachable from
  // them along alternating paths, up to the first layer that reaches a free human pixel
  // (`limit`); depth-first searches then augment along vertex-disjoint shortest paths.
  constexpr int kUnreached = INT_MAX;
  for (;;) {
    queue_.clear();
    for (int u : active_) {
      const bool free = match_left_[static_cast<size_t>(u)] < 0;
      layer_[static_cast<size_t>(u)] = free ? 0 : kUnreached;
      if (free) queue_.push_back(u);
    }
    int limit = kUnreached;
    for (size_t q = 0; q < queue_.size(); ++q) {
      const int u = queue_[q];
      const int d = layer_[static_cast<size_t>(u)];
      if (d + 1 >= limit) break;  // layers only grow along the queue
      for (int e = first(u); e < end(u); ++e) {
        const int w = match_right_[static_cast<size_t>(adjacent(e))];
        if (w < 0) {
          limit = d + 1;
        } else if (layer_[static_cast<size_t>(w)] == kUnreached) {
          layer_[static_cast<size_t>(w)] = d + 1;
          queue_.push_back(w);
        }
      }
    }
    if (limit == kUnreached) break;  // no augmenting path: the matching is maximum

    for (int u : active_) next_[static_cast<size_t>(u)] = first(u);
    for (int root : active_) {
      if (match_left_[static_cast<size_t>(root)] >= 0 || layer_[static_cast<size_t>(root)] != 0)
        continue;
      // Iterative depth-first search: stack_[i]'s current edge is next_[stack_[i]].
      stack_.assign(1, root);
      while (!stack_.empty()) {
        const int u = stack_.back();
        const auto uu = static_cast<size_t>(u);
        if (next_[uu] == end(u)) {
          layer_[uu] = kUnreached;  // a dead end for the rest of the phase
          stack_.pop_back();
          if (!stack_.empty()) ++next_[static_cast<size_t>(stack_.back())];
          continue;
        }
        const int v = adjacent(next_[uu]);
        const int w = match_right_[static_cast<size_t>(v)];
        if (w < 0 && layer_[uu] + 1 == limit) {
          for (int s : stack_) {  // flip the path: every stacked pixel takes its current edge
            const int vs = adjacent(next_[static_cast<size_t>(s)]);
            match_left_[static_cast<size_t>(s)] = vs;
            match_right_[static_cast<size_t>(vs)] = s;
          }
          break;
        }
        if (w >= 0 && layer_[static_cast<size_t>(w)] == layer_[uu] + 1) {
          stack_.push_back(w);
        } else {
          ++next_[uu];
        }
      }
    }
  }
  int matched = 0;
  for (int u : active_) matched += match_left_[static_cast<size_t>(u)] >= 0 ? 1 : 0;
  return matched;
}

}  // namespace internal

BoundaryMatch MatchBoundaries(const cv::Mat& detected, const cv::Mat& human, double max_distance) {
  CV_Assert(detected.type() == CV_8UC1 && human.type() == CV_8UC1 &&
            detected.size() == human.size() && max_distance >= 0.0);
  const internal::HumanPixelIndex index(human, max_distance);
  std::vector<cv::Point> pixels;
  cv::findNonZero(detected, pixels);
  internal::BoundaryMatcher matcher(index, pixels);
  BoundaryMatch match;
  match.matched = matcher.Match(pixels.size(), std::vector<uint8_t>(pixels.size(), 1));
  match.detected_matched = cv::Mat(detected.size(), CV_8U, cv::Scalar(0));
  match.human_matched = cv::Mat(detected.size(), CV_8U, cv::Scalar(0));
  for (size_t i = 0; i < pixels.size(); ++i) {
    if (matcher.partner(i) < 0) continue;
    match.detected_matched.at<uint8_t>(pixels[i]) = 255;
    match.human_matched.at<uint8_t>(index.pixel(matcher.partner(i))) = 255;
  }
  return match;
}

}  // namespace msrf
