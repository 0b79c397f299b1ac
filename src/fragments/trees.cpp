#include "msrf/fragments/trees.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "msrf/core/check.h"
#include "msrf/core/parallel.h"

namespace msrf {

Status TreeOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(
      CheckRange("trees.tolerance", tolerance, 0.0, 50.0, Bound::kOpen, Bound::kClosed));
  return CheckRange("trees.min_coverage", min_coverage, 0.0, 1.0, Bound::kOpen, Bound::kClosed);
}

namespace {

double PointSegmentDistance(cv::Point2d p, cv::Point2d a, cv::Point2d b) {
  const cv::Point2d ab = b - a;
  const double len2 = ab.dot(ab);
  double t = len2 > 0.0 ? (p - a).dot(ab) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return cv::norm(p - (a + t * ab));
}

// A uniform grid over the segments of one level's fragments. A segment is entered in every
// cell its bounding box, grown by the tolerance, touches; a query then reads one cell.
class SegmentGrid {
 public:
  SegmentGrid(const std::vector<Fragment>& fragments, const std::vector<int>& ids, double cell)
      : fragments_(fragments), cell_(cell) {
    float x0 = std::numeric_limits<float>::max(), y0 = x0, x1 = -x0, y1 = -x0;
    for (int id : ids) {
      const cv::Rect2f& b = fragments[id].bbox;
      x0 = std::min(x0, b.x);
      y0 = std::min(y0, b.y);
      x1 = std::max(x1, b.x + b.width);
      y1 = std::max(y1, b.y + b.height);
    }
    if (ids.empty()) return;
    origin_ = {x0 - cell, y0 - cell};
    cols_ = static_cast<int>((x1 - x0) / cell) + 3;
    rows_ = static_cast<int>((y1 - y0) / cell) + 3;
    cells_.resize(static_cast<size_t>(cols_) * rows_);
    for (int id : ids) {
      const auto& pts = fragments[id].resampled;
      for (size_t s = 0; s + 1 < pts.size(); ++s) {
        const int cx0 = Col(std::min(pts[s].x, pts[s + 1].x) - cell);
        const int cx1 = Col(std::max(pts[s].x, pts[s + 1].x) + cell);
        const int cy0 = Row(std::min(pts[s].y, pts[s + 1].y) - cell);
        const int cy1 = Row(std::max(pts[s].y, pts[s + 1].y) + cell);
        for (int cy = cy0; cy <= cy1; ++cy) {
          for (int cx = cx0; cx <= cx1; ++cx) {
            cells_[static_cast<size_t>(cy) * cols_ + cx].push_back({id, static_cast<int>(s)});
          }
        }
      }
    }
  }

  // Calls f(fragment id, distance) for every segment of the cell holding p.
  template <typename F>
  void ForNear(cv::Point2d p, F&& f) const {
    if (cells_.empty()) return;
    const int cx = Col(p.x), cy = Row(p.y);
    for (const auto& [id, s] : cells_[static_cast<size_t>(cy) * cols_ + cx]) {
      const auto& pts = fragments_[id].resampled;
      f(id, PointSegmentDistance(p, pts[s], pts[s + 1]));
    }
  }

 private:
  int Col(double x) const {
    return std::clamp(static_cast<int>(std::floor((x - origin_.x) / cell_)), 0, cols_ - 1);
  }
  int Row(double y) const {
    return std::clamp(static_cast<int>(std::floor((y - origin_.y) / cell_)), 0, rows_ - 1);
  }

  struct Entry {
    int id;
    int segment;
  };
  const std::vector<Fragment>& fragments_;
  double cell_;
  cv::Point2d origin_;
  int cols_ = 0;
  int rows_ = 0;
  std::vector<std::vector<Entry>> cells_;
};

// The fragment of `grid` that `c` runs along, or -1: the candidate within `tol` of most of
// c's resampled points, then the one with the smaller summed distance, then the lower id.
int BestParent(const Fragment& c, const SegmentGrid& grid, double tol, const TreeOptions& options) {
  std::vector<std::pair<int, std::pair<int, double>>> votes;  // id -> (points, sum of d)
  std::vector<std::pair<int, double>> nearest;                // per point: id -> min d
  for (const cv::Point2f& p : c.resampled) {
    nearest.clear();
    grid.ForNear(p, [&](int id, double d) {
      if (d > tol) return;
      auto it = std::find_if(nearest.begin(), nearest.end(),
                             [id](const auto& e) { return e.first == id; });
      if (it == nearest.end()) {
        nearest.emplace_back(id, d);
      } else {
        it->second = std::min(it->second, d);
      }
    });
    for (const auto& [id, d] : nearest) {
      auto it = std::find_if(votes.begin(), votes.end(),
                             [id = id](const auto& e) { return e.first == id; });
      if (it == votes.end()) {
        votes.push_back({id, {1, d}});
      } else {
        ++it->second.first;
        it->second.second += d;
      }
    }
  }
  int best = -1, best_count = 0;
  double best_sum = 0.0;
  for (const auto& [id, v] : votes) {
    const auto& [count, sum] = v;
    const bool better = count > best_count ||
                        (count == best_count && (sum < best_sum || (sum == best_sum && id < best)));
    if (better) {
      best = id;
      best_count = count;
      best_sum = sum;
    }
  }
  const double needed = options.min_coverage * static_cast<double>(c.resampled.size());
  return best >= 0 && best_count >= needed ? best : -1;
}

}  // namespace

void LinkAcrossLevels(std::vector<Fragment>& fragments, const std::vector<double>& level_scales,
                      const TreeOptions& options) {
  const int num_levels = static_cast<int>(level_scales.size());
  std::vector<std::vector<int>> by_level(static_cast<size_t>(num_levels));
  for (Fragment& f : fragments) {
    f.parent = -1;
    if (f.level >= 0 && f.level < num_levels)
      by_level[static_cast<size_t>(f.level)].push_back(f.id);
  }

  for (int l = 0; l + 1 < num_levels; ++l) {
    // Tolerance in level-0 pixels: `tolerance` pixels of the coarser level.
    const double tol = options.tolerance / level_scales[static_cast<size_t>(l) + 1];
    const SegmentGrid grid(fragments, by_level[static_cast<size_t>(l) + 1], tol);
    // Children are independent: the grid is read-only and each writes its own parent.
    const std::vector<int>& children = by_level[static_cast<size_t>(l)];
    ParallelFor(0, children.size(), 16, [&](size_t i) {
      Fragment& c = fragments[static_cast<size_t>(children[i])];
      c.parent = BestParent(c, grid, tol, options);
    });
  }
}

FragmentForest FragmentForest::FromFragments(const std::vector<Fragment>& fragments) {
  FragmentForest forest;
  const size_t n = fragments.size();
  forest.parent.resize(n);
  forest.children.resize(n);
  forest.root_of.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int p = fragments[i].parent;
    forest.parent[i] = p;
    if (p >= 0) {
      forest.children[static_cast<size_t>(p)].push_back(static_cast<int>(i));
    } else {
      forest.roots.push_back(static_cast<int>(i));
    }
  }
  // Trees are as deep as the pyramid, so walking up is cheap.
  for (size_t i = 0; i < n; ++i) {
    int r = static_cast<int>(i);
    for (size_t steps = 0; forest.parent[static_cast<size_t>(r)] >= 0 && steps <= n; ++steps) {
      r = forest.parent[static_cast<size_t>(r)];
    }
    forest.root_of[i] = r;
  }
  return forest;
}

}  // namespace msrf
