#include "msrf/shape/polygon_check.h"

#include <algorithm>
#include <set>

namespace msrf {
namespace {

double Cross(cv::Point2d a, cv::Point2d b) { return a.x * b.y - a.y * b.x; }

// Sign of the turn a -> b -> p: > 0 when p is to the left of ab (above, for ab pointing right).
double Orient(cv::Point2d a, cv::Point2d b, cv::Point2d p) { return Cross(b - a, p - a); }

bool LexLess(cv::Point2d a, cv::Point2d b) { return a.x < b.x || (a.x == b.x && a.y < b.y); }

struct Edge {
  cv::Point2d left, right;  // lexicographically ordered ends
  size_t id = 0;
};

// The order of edges along the sweep line, for edges that the line crosses at the same time
// and that do not cross each other (the sweep stops at the first touching pair, so the edges
// in the status never do, except at shared ends). The later-starting edge is placed by where
// it starts relative to the other; a tie (it starts on the other) by where it goes.
struct Below {
  bool operator()(const Edge* a, const Edge* b) const {
    if (a == b) return false;
    const bool a_later = !LexLess(a->left, b->left);
    const Edge& late = a_later ? *a : *b;
    const Edge& early = a_later ? *b : *a;
    double side = Orient(early.left, early.right, late.left);
    if (side == 0) side = Orient(early.left, early.right, late.right);
    if (side == 0) return a->id < b->id;  // collinear: any fixed order
    // side > 0: the later edge lies above the earlier one.
    return a_later ? side < 0 : side > 0;
  }
};

}  // namespace

bool SegmentsTouch(cv::Point2d a, cv::Point2d b, cv::Point2d c, cv::Point2d d) {
  const double d1 = Cross(b - a, c - a), d2 = Cross(b - a, d - a);
  const double d3 = Cross(d - c, a - c), d4 = Cross(d - c, b - c);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    return true;
  }
  auto on_segment = [](cv::Point2d p, cv::Point2d q, cv::Point2d r, double cross) {
    return cross == 0 && std::min(p.x, q.x) <= r.x && r.x <= std::max(p.x, q.x) &&
           std::min(p.y, q.y) <= r.y && r.y <= std::max(p.y, q.y);
  };
  return on_segment(a, b, c, d1) || on_segment(a, b, d, d2) || on_segment(c, d, a, d3) ||
         on_segment(c, d, b, d4);
}

std::optional<std::pair<size_t, size_t>> FindTouchingEdges(
    const std::vector<cv::Point2d>& polygon) {
  const size_t n = polygon.size();
  if (n < 4) return std::nullopt;  // every pair of a triangle's edges is adjacent
  std::vector<Edge> edges(n);
  for (size_t i = 0; i < n; ++i) {
    cv::Point2d a = polygon[i], b = polygon[(i + 1) % n];
    if (LexLess(b, a)) std::swap(a, b);
    edges[i] = {a, b, i};
  }
  auto adjacent = [n](size_t i, size_t j) {
    const size_t d = i > j ? i - j : j - i;
    return d == 1 || d == n - 1;
  };
  auto bad = [&](const Edge* a, const Edge* b) -> std::optional<std::pair<size_t, size_t>> {
    if (adjacent(a->id, b->id)) return std::nullopt;
    if (!SegmentsTouch(a->left, a->right, b->left, b->right)) return std::nullopt;
    return std::make_pair(std::min(a->id, b->id), std::max(a->id, b->id));
  };
  // Events: (point, 0 = insert | 1 = remove, edge); at one point, inserts come first so that
  // an edge starting where another ends meets it.
  struct Event {
    cv::Point2d at;
    int kind;
    size_t edge;
  };
  std::vector<Event> events;
  events.reserve(2 * n);
  for (const Edge& e : edges) {
    events.push_back({e.left, 0, e.id});
    events.push_back({e.right, 1, e.id});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.at != b.at) return LexLess(a.at, b.at);
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.edge < b.edge;
  });
  using Order = std::set<const Edge*, Below>;
  Order status;
  std::vector<Order::iterator> where(n, status.end());
  // The neighbours of `it` on one side, up to the first one not adjacent to `e` (at most two
  // edges are adjacent to any edge, and those may share its place in the order).
  struct Few {
    const Edge* edge[3] = {};
    size_t size = 0;
    const Edge* const* begin() const { return edge; }
    const Edge* const* end() const { return edge + size; }
  };
  auto neighbours = [&](Order::iterator it, const Edge* e, bool up) {
    Few out;
    while (out.size < 3) {
      if (up) {
        if (++it == status.end()) break;
      } else {
        if (it == status.begin()) break;
        --it;
      }
      out.edge[out.size++] = *it;
      if (!adjacent((*it)->id, e->id)) break;
    }
    return out;
  };
  for (const Event& ev : events) {
    const Edge* e = &edges[ev.edge];
    if (ev.kind == 0) {
      const Order::iterator it = status.insert(e).first;
      where[ev.edge] = it;
      for (bool up : {true, false}) {
        for (const Edge* other : neighbours(it, e, up)) {
          if (auto hit = bad(e, other)) return hit;
        }
      }
    } else {
      const Order::iterator it = where[ev.edge];
      for (const Edge* below : neighbours(it, e, false)) {
        for (const Edge* above : neighbours(it, e, true)) {
          if (auto hit = bad(below, above)) return hit;
        }
      }
      status.erase(it);
    }
  }
  return std::nullopt;
}

}  // namespace msrf
