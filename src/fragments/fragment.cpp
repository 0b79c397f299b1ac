#include "msrf/fragments/fragment.h"

#include <algorithm>
#include <cmath>

#include "msrf/core/check.h"

namespace msrf {

Status FragmentOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(dce.Validate());
  MSRF_RETURN_IF_ERROR(CheckRange("fragments.cut_angle_deg", cut_angle_deg, 0.0, 180.0));
  MSRF_RETURN_IF_ERROR(CheckRange("fragments.min_length", min_length, 2.0, 10000.0));
  MSRF_RETURN_IF_ERROR(CheckRange("fragments.corner_support", corner_support, 1.0, 100.0));
  return CheckRange("fragments.resample_step", resample_step, 0.25, 100.0);
}

double PolylineLength(const std::vector<cv::Point2f>& polyline) {
  double length = 0.0;
  for (size_t i = 1; i < polyline.size(); ++i) {
    length += std::hypot(static_cast<double>(polyline[i].x) - polyline[i - 1].x,
                         static_cast<double>(polyline[i].y) - polyline[i - 1].y);
  }
  return length;
}

std::vector<cv::Point2f> ResamplePolyline(const std::vector<cv::Point2f>& polyline, double step) {
  std::vector<cv::Point2f> out;
  if (polyline.empty()) return out;
  out.push_back(polyline.front());
  double carried = 0.0;  // arc length walked since the last emitted point
  for (size_t i = 1; i < polyline.size(); ++i) {
    const cv::Point2d a = polyline[i - 1];
    const cv::Point2d b = polyline[i];
    const double seg = cv::norm(b - a);
    if (seg == 0.0) continue;
    double t = step - carried;  // distance along this segment of the next point
    while (t <= seg) {
      const cv::Point2d p = a + (b - a) * (t / seg);
      out.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
      t += step;
    }
    carried = seg - (t - step);
  }
  // Always end on the last point; replace an emitted point that lies almost on it.
  const cv::Point2f last = polyline.back();
  if (out.size() > 1 && cv::norm(out.back() - last) < 0.25 * step) out.pop_back();
  if (out.size() == 1 && polyline.size() == 1) return out;
  out.push_back(last);
  return out;
}

namespace {

Fragment MakeFragment(const std::vector<cv::Point2d>& level_points, int level, double level_scale,
                      const cv::Matx23d& to_level0, const FragmentOptions& options, bool closed) {
  Fragment f;
  f.level = level;
  f.closed = closed;
  f.points.reserve(level_points.size());
  for (const cv::Point2d& p : level_points) {
    const cv::Vec3d h(p.x, p.y, 1.0);
    const cv::Vec2d q = to_level0 * h;
    f.points.emplace_back(static_cast<float>(q[0]), static_cast<float>(q[1]));
  }
  f.length = PolylineLength(f.points);
  f.resampled = ResamplePolyline(f.points, options.resample_step / level_scale);
  float x0 = f.points.front().x, y0 = f.points.front().y, x1 = x0, y1 = y0;
  for (const cv::Point2f& p : f.points) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  f.bbox = cv::Rect2f(x0, y0, x1 - x0, y1 - y0);
  return f;
}

// Pixel chains are staircases: their polyline length overstates the contour's by up to 8%
// along 8-connected diagonals, and their turn angles are +-45 degrees noise. A binomial
// filter over 7 pixels (1 6 15 20 15 6 1) recovers sub-pixel positions; open ends stay put
// and the window shrinks symmetrically near them.
std::vector<cv::Point2d> SmoothChain(const std::vector<cv::Point>& chain, bool closed) {
  static constexpr double kWeights[4] = {20, 15, 6, 1};
  const int n = static_cast<int>(chain.size());
  std::vector<cv::Point2d> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int radius = closed ? std::min(3, (n - 1) / 2) : std::min({3, i, n - 1 - i});
    cv::Point2d sum(0, 0);
    double weight = 0;
    for (int k = -radius; k <= radius; ++k) {
      const cv::Point p = chain[static_cast<size_t>((i + k + n) % n)];
      sum += kWeights[std::abs(k)] * cv::Point2d(p);
      weight += kWeights[std::abs(k)];
    }
    out[static_cast<size_t>(i)] = sum / weight;
  }
  return out;
}

// Corners of a chain: DCE proposes vertices; a vertex is a corner when the chain turns by at
// least cut_angle_deg over `corner_support` pixels on either side of it. Measuring the turn
// over a support, rather than between DCE neighbours, keeps a corner whose turn rasterising
// has split over two nearby vertices. Of corners closer than the support, the sharper wins.
std::vector<int> FindCorners(const std::vector<cv::Point2d>& pts, bool closed,
                             const FragmentOptions& options) {
  const int n = static_cast<int>(pts.size());
  std::vector<double> arc(static_cast<size_t>(n), 0.0);  // arc length at each point
  for (int i = 1; i < n; ++i) arc[i] = arc[i - 1] + cv::norm(pts[i] - pts[i - 1]);
  const double total = arc[n - 1] + (closed ? cv::norm(pts[0] - pts[n - 1]) : 0.0);
  const double support = options.corner_support;

  // The point `distance` along the chain from i (negative: backwards), clamped at open ends.
  auto along = [&](int i, double distance) {
    int j = i;
    for (int steps = 0; steps < n; ++steps) {
      const int k = distance > 0 ? j + 1 : j - 1;
      if (!closed && (k < 0 || k >= n)) break;
      const int kk = (k + n) % n;
      double d = std::abs(arc[kk] - arc[i]);
      if (closed) d = std::min(d, total - d);
      j = kk;
      if (d >= std::abs(distance)) break;
    }
    return pts[j];
  };
  auto arc_gap = [&](int a, int b) {
    const double d = std::abs(arc[a] - arc[b]);
    return closed ? std::min(d, total - d) : d;
  };

  const std::vector<int> kept = EvolveCurve(pts, closed, options.dce);
  const double cut_angle = options.cut_angle_deg * CV_PI / 180.0;
  std::vector<std::pair<double, int>> candidates;  // (turn, index)
  for (int b : kept) {
    if (!closed && (b == 0 || b == n - 1)) continue;
    if (!closed && (arc[b] < 0.5 * support || total - arc[b] < 0.5 * support)) continue;
    const double turn = TurnAngle(along(b, -support), pts[b], along(b, support));
    if (turn >= cut_angle) candidates.emplace_back(turn, b);
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) {
    return x.first > y.first || (x.first == y.first && x.second < y.second);
  });
  std::vector<int> corners;
  for (const auto& [turn, b] : candidates) {
    bool near = false;
    for (int c : corners) near |= arc_gap(b, c) < support;
    if (!near) corners.push_back(b);
  }
  std::sort(corners.begin(), corners.end());
  return corners;
}

double LevelLength(const std::vector<cv::Point2d>& pts) {
  double length = 0.0;
  for (size_t i = 1; i < pts.size(); ++i) length += cv::norm(pts[i] - pts[i - 1]);
  return length;
}

}  // namespace

std::vector<Fragment> CutChain(const EdgeChain& chain, int level, double level_scale,
                               const cv::Matx23d& to_level0, const FragmentOptions& options) {
  const int n = static_cast<int>(chain.points.size());
  // An 8-connected chain of n pixels is at most (n - 1) sqrt(2) long: most chains of a
  // cluttered image are too short to give a fragment, and are dropped here.
  if ((n - 1 + (chain.closed ? 1 : 0)) * 1.4142135623730951 < options.min_length) return {};
  const bool closed = chain.closed && n >= 3;
  const std::vector<cv::Point2d> pts = SmoothChain(chain.points, closed);
  std::vector<Fragment> fragments;
  if (n < 2) return fragments;

  const std::vector<int> cuts = FindCorners(pts, closed, options);

  auto emit = [&](const std::vector<cv::Point2d>& piece, bool piece_closed) {
    if (piece.size() < 2 || LevelLength(piece) < options.min_length) return;
    fragments.push_back(MakeFragment(piece, level, level_scale, to_level0, options, piece_closed));
  };
  // Points i..j of the chain, walking forward and wrapping around a closed chain.
  auto span = [&](int i, int j) {
    std::vector<cv::Point2d> piece;
    for (int k = i;; k = (k + 1) % n) {
      piece.push_back(pts[k]);
      if (k == j && piece.size() > 1) break;
    }
    return piece;
  };

  if (!closed) {
    std::vector<int> bounds = {0};
    bounds.insert(bounds.end(), cuts.begin(), cuts.end());
    bounds.push_back(n - 1);
    for (size_t i = 0; i + 1 < bounds.size(); ++i) {
      emit(std::vector<cv::Point2d>(pts.begin() + bounds[i], pts.begin() + bounds[i + 1] + 1),
           false);
    }
  } else if (cuts.size() <= 1) {
    // A loop with at most one corner stays whole, starting (and ending) at its corner or at
    // its most significant DCE vertex.
    const int start = cuts.empty() ? 0 : cuts.front();
    emit(span(start, start), true);
  } else {
    for (size_t i = 0; i < cuts.size(); ++i)
      emit(span(cuts[i], cuts[(i + 1) % cuts.size()]), false);
  }
  return fragments;
}

}  // namespace msrf
