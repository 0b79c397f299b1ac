#include "msrf/fragments/edge_linking.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace msrf {
namespace {

// Neighbour offsets: the four 4-neighbours first, then the diagonals. Tracing prefers
// 4-neighbours so that it never cuts the corner of a pixel staircase and orphans a pixel.
constexpr std::array<int, 8> kDx = {1, 0, -1, 0, 1, -1, -1, 1};
constexpr std::array<int, 8> kDy = {0, 1, 0, -1, 1, 1, -1, -1};
// The same neighbours in circular order, for the crossing number.
constexpr std::array<int, 8> kRingDx = {1, 1, 0, -1, -1, -1, 0, 1};
constexpr std::array<int, 8> kRingDy = {0, 1, 1, 1, 0, -1, -1, -1};

enum : uint8_t { kEmpty = 0, kEdge = 1, kJunction = 2 };

class Linker {
 public:
  explicit Linker(const cv::Mat& edges)
      : width_(edges.cols + 2),
        height_(edges.rows + 2),
        kind_(static_cast<size_t>(width_) * height_, kEmpty),
        visited_(kind_.size(), 0) {
    for (int y = 0; y < edges.rows; ++y) {
      const auto* row = edges.ptr<uint8_t>(y);
      for (int x = 0; x < edges.cols; ++x) {
        if (row[x] != 0) {
          kind_[Index(x + 1, y + 1)] = kEdge;
          pixels_.push_back(static_cast<int>(Index(x + 1, y + 1)));
        }
      }
    }
    ClassifyJunctions();
    if (PruneSpurs()) ClassifyJunctions();
  }

  std::vector<EdgeChain> Run() {
    std::vector<EdgeChain> chains;
    // 1. Branches leaving junctions.
    ForEachPixel([&](int x, int y) {
      if (kind_[Index(x, y)] != kJunction) return;
      for (int k = 0; k < 8; ++k) {
        const int nx = x + kDx[k], ny = y + kDy[k];
        if (kind_[Index(nx, ny)] != kEdge || visited_[Index(nx, ny)]) continue;
        std::vector<cv::Point> pts = {{x, y}, {nx, ny}};
        visited_[Index(nx, ny)] = 1;
        Trace(pts, /*start_node=*/cv::Point(x, y));
        Emit(chains, std::move(pts), false);
      }
    });
    // 2. Open chains from their end points.
    ForEachPixel([&](int x, int y) {
      if (kind_[Index(x, y)] != kEdge || visited_[Index(x, y)] || Runs(x, y) != 1) return;
      std::vector<cv::Point> pts = {{x, y}};
      visited_[Index(x, y)] = 1;
      Trace(pts, cv::Point(-1, -1));
      Emit(chains, std::move(pts), false);
    });
    // 3. What is left: loops (and stray pixels). Trace both ways from the first pixel.
    ForEachPixel([&](int x, int y) {
      if (kind_[Index(x, y)] != kEdge || visited_[Index(x, y)]) return;
      std::vector<cv::Point> forward = {{x, y}};
      visited_[Index(x, y)] = 1;
      Trace(forward, cv::Point(-1, -1));
      std::vector<cv::Point> backward = {{x, y}};
      Trace(backward, cv::Point(-1, -1));
      std::vector<cv::Point> pts(backward.rbegin(), backward.rend());
      pts.insert(pts.end(), forward.begin() + 1, forward.end());
      const bool closed = pts.size() >= 4 && Adjacent(pts.front(), pts.back());
      Emit(chains, std::move(pts), closed);
    });
    return chains;
  }

 private:
  size_t Index(int x, int y) const { return static_cast<size_t>(y) * width_ + x; }

  // Visits the pixels that were edges at the start, in raster order: every pass acts on
  // edge pixels only, and edge maps are sparse.
  template <typename F>
  void ForEachPixel(F&& f) {
    for (int i : pixels_) f(i % width_, i / width_);
  }

  void ClassifyJunctions() {
    ForEachPixel([&](int x, int y) {
      uint8_t& k = kind_[Index(x, y)];
      if (k != kEmpty) k = Runs(x, y) >= 3 && EdgeNeighbours(x, y) >= 3 ? kJunction : kEdge;
    });
  }

  // Removes spurs: branches of at most kMaxSpur pixels from an end point to a junction. They
  // are what rasterising and thinning leave at acute corners, and would otherwise split a
  // clean contour in three.
  bool PruneSpurs() {
    constexpr size_t kMaxSpur = 2;
    std::vector<cv::Point> removed;
    ForEachPixel([&](int x, int y) {
      if (kind_[Index(x, y)] != kEdge || Runs(x, y) != 1) return;
      std::vector<cv::Point> path = {{x, y}};
      auto on_path = [&](int px, int py) {
        return std::find(path.begin(), path.end(), cv::Point(px, py)) != path.end();
      };
      while (path.size() <= kMaxSpur) {
        const cv::Point cur = path.back();
        int next = -1;
        bool junction = false;
        for (int k = 0; k < 8; ++k) {
          const int nx = cur.x + kDx[k], ny = cur.y + kDy[k];
          if (kind_[Index(nx, ny)] == kJunction && !on_path(nx, ny)) junction = true;
          if (kind_[Index(nx, ny)] == kEdge && !on_path(nx, ny) && next < 0) next = k;
        }
        if (junction) {
          removed.insert(removed.end(), path.begin(), path.end());
          return;
        }
        if (next < 0) return;
        path.emplace_back(cur.x + kDx[next], cur.y + kDy[next]);
      }
    });
    for (const cv::Point& p : removed) kind_[Index(p.x, p.y)] = kEmpty;
    return !removed.empty();
  }

  int EdgeNeighbours(int x, int y) const {
    int n = 0;
    for (int k = 0; k < 8; ++k) n += kind_[Index(x + kDx[k], y + kDy[k])] != kEmpty;
    return n;
  }

  // The number of separate runs of edge pixels around (x, y): 1 at an end point, 2 along a
  // curve (staircases included), 3 or more at a junction.
  int Runs(int x, int y) const {
    int runs = 0;
    for (int k = 0; k < 8; ++k) {
      const bool here = kind_[Index(x + kRingDx[k], y + kRingDy[k])] != kEmpty;
      const int j = (k + 7) % 8;
      const bool before = kind_[Index(x + kRingDx[j], y + kRingDy[j])] != kEmpty;
      runs += here && !before;
    }
    return runs;
  }

  static bool Adjacent(cv::Point a, cv::Point b) {
    return std::abs(a.x - b.x) <= 1 && std::abs(a.y - b.y) <= 1 && a != b;
  }

  // Extends `pts` from its last pixel until it reaches an end, a junction or a visited
  // pixel. Preference: an unvisited 4-neighbour, a junction 4-neighbour, an unvisited
  // diagonal, a junction diagonal. `start_node` (a junction the chain began at) is not
  // re-entered by the chain's second pixel.
  void Trace(std::vector<cv::Point>& pts, cv::Point start_node) {
    while (true) {
      const cv::Point cur = pts.back();
      int next = -1;
      bool to_junction = false;
      for (int group = 0; group < 2 && next < 0; ++group) {
        for (int k = group * 4; k < group * 4 + 4; ++k) {
          const int nx = cur.x + kDx[k], ny = cur.y + kDy[k];
          const uint8_t kind = kind_[Index(nx, ny)];
          if (kind == kEdge && !visited_[Index(nx, ny)]) {
            next = k;
            to_junction = false;
            break;
          }
          if (kind == kJunction && next < 0 &&
              !(pts.size() <= 2 && cv::Point(nx, ny) == start_node)) {
            next = k;
            to_junction = true;
          }
        }
      }
      if (next < 0) return;
      const cv::Point p(cur.x + kDx[next], cur.y + kDy[next]);
      pts.push_back(p);
      if (to_junction) return;
      visited_[Index(p.x, p.y)] = 1;
    }
  }

  void Emit(std::vector<EdgeChain>& chains, std::vector<cv::Point> pts, bool closed) const {
    if (pts.size() < 2) return;
    for (cv::Point& p : pts) p -= cv::Point(1, 1);  // remove the padding
    chains.push_back({std::move(pts), closed});
  }

  int width_;
  int height_;
  std::vector<uint8_t> kind_;
  std::vector<uint8_t> visited_;
  std::vector<int> pixels_;  // indices of the edge pixels, raster order
};

}  // namespace

std::vector<EdgeChain> LinkEdges(const cv::Mat& edges) {
  CV_Assert(edges.type() == CV_8UC1);
  if (edges.empty()) return {};
  return Linker(edges).Run();
}

}  // namespace msrf
