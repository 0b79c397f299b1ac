#include "msrf/verify/outline_fit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace msrf {

std::vector<cv::Point2d> DeformOutline(const ShapeModel& model,
                                       const std::vector<cv::Point2d>& base,
                                       const OrientedContours& contours, double size,
                                       const VerifyOptions& o) {
  const int n = static_cast<int>(base.size());
  std::vector<cv::Point2d> u(static_cast<size_t>(n), cv::Point2d(0, 0));
  if (o.deform_rounds <= 0 || !(o.max_deform > 0)) return base;
  const double radius = std::max(2.0, o.deform_radius * size);
  const double limit = o.max_deform * size;
  const int half = static_cast<int>(std::ceil(3 * o.deform_sigma));
  // g[t]: the weight of offset t - half.
  std::vector<double> g(2 * static_cast<size_t>(half) + 1);
  double gsum = 0;
  for (size_t t = 0; t < g.size(); ++t) {
    const int k = static_cast<int>(t) - half;
    g[t] = std::exp(-0.5 * k * k / (o.deform_sigma * o.deform_sigma));
    gsum += g[t];
  }
  std::vector<cv::Point2d> d(static_cast<size_t>(n));
  std::vector<double> w(static_cast<size_t>(n));
  std::vector<cv::Point2d> moved(static_cast<size_t>(n));
  for (int round = 0; round < o.deform_rounds; ++round) {
    for (size_t i = 0; i < moved.size(); ++i) moved[i] = base[i] + u[i];
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      w[si] = 0;
      if (!model.drawn[si]) continue;
      const ContourPair pair = PairWithContour(contours, moved, i, radius);
      if (!pair.found) continue;
      w[si] = pair.weight;
      d[si] = pair.target - base[si];
    }
    std::vector<cv::Point2d> next_u(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      cv::Point2d num(0, 0);
      double den = std::max(o.deform_prior * gsum, 1e-9);
      for (size_t t = 0; t < g.size(); ++t) {
        const int k = static_cast<int>(t) - half;
        const size_t j = static_cast<size_t>(((i + k) % n + n) % n);
        const double gw = g[t] * w[j];
        num += gw * d[j];
        den += gw;
      }
      cv::Point2d v = num / den;
      const double len = cv::norm(v);
      if (len > limit) v *= limit / len;
      next_u[static_cast<size_t>(i)] = v;
    }
    u = std::move(next_u);
  }
  std::vector<cv::Point2d> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    out[static_cast<size_t>(i)] = base[static_cast<size_t>(i)] + u[static_cast<size_t>(i)];
  return out;
}

std::vector<cv::Point2d> WarpOutline(const ShapeModel& model, const std::vector<cv::Point2d>& base,
                                     const OrientedContours& contours, double size,
                                     const VerifyOptions& o) {
  constexpr int kRounds = 4;
  const int grid = o.warp_grid;
  if (grid < 1 || !(o.max_warp > 0)) return base;
  const int n = static_cast<int>(base.size());
  const int side = grid + 1, k_count = side * side;
  const cv::Rect2d box = model.bbox;
  // Each point's cell and bilinear weights.
  std::vector<std::array<int, 4>> corner(static_cast<size_t>(n));
  std::vector<std::array<double, 4>> weight(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const cv::Point2d m = model.points[static_cast<size_t>(i)];
    const double gx = std::clamp((m.x - box.x) / std::max(1e-9, box.width) * grid, 0.0,
                                 static_cast<double>(grid));
    const double gy = std::clamp((m.y - box.y) / std::max(1e-9, box.height) * grid, 0.0,
                                 static_cast<double>(grid));
    const int cx = std::min(grid - 1, static_cast<int>(gx)),
              cy = std::min(grid - 1, static_cast<int>(gy));
    const double fx = gx - cx, fy = gy - cy;
    const int top_left = cy * side + cx;
    corner[static_cast<size_t>(i)] = {top_left, top_left + 1, top_left + side, top_left + side + 1};
    weight[static_cast<size_t>(i)] = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
  }
  std::vector<cv::Point2d> move(static_cast<size_t>(k_count), cv::Point2d(0, 0));
  std::vector<cv::Point2d> out = base;
  for (int round = 0; round < kRounds; ++round) {
    const double t = static_cast<double>(round) / (kRounds - 1);
    const double radius =
        std::max(2.0, size * (o.warp_radius + t * (o.support_tolerance - o.warp_radius)));
    cv::Mat a(k_count, k_count, CV_64F, cv::Scalar(0)), rhs(k_count, 2, CV_64F, cv::Scalar(0));
    double wsum = 0;
    int pairs = 0;
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      if (!model.drawn[si]) continue;
      const ContourPair pair = PairWithContour(contours, out, i, radius);
      if (!pair.found) continue;
      const double w = pair.weight;
      const cv::Point2d target = pair.target - base[si];
      for (int u = 0; u < 4; ++u) {
        const int ku = corner[si][static_cast<size_t>(u)];
        const double bu = weight[si][static_cast<size_t>(u)];
        rhs.at<double>(ku, 0) += w * bu * target.x;
        rhs.at<double>(ku, 1) += w * bu * target.y;
        for (int v = 0; v < 4; ++v) {
          a.at<double>(ku, corner[si][static_cast<size_t>(v)]) +=
              w * bu * weight[si][static_cast<size_t>(v)];
        }
      }
      wsum += w;
      ++pairs;
    }
    if (pairs < 8) break;
    const double scale = wsum / k_count;
    for (int k = 0; k < k_count; ++k) {
      a.at<double>(k, k) += o.warp_ridge * scale;
      const int kx = k % side, ky = k / side;
      for (const auto& [dx, dy] : {std::pair{1, 0}, std::pair{0, 1}}) {
        if (kx + dx >= side || ky + dy >= side) continue;
        const int l = (ky + dy) * side + kx + dx;
        a.at<double>(k, k) += o.warp_smooth * scale;
        a.at<double>(l, l) += o.warp_smooth * scale;
        a.at<double>(k, l) -= o.warp_smooth * scale;
        a.at<double>(l, k) -= o.warp_smooth * scale;
      }
    }
    cv::Mat x;
    if (!cv::solve(a, rhs, x, cv::DECOMP_CHOLESKY)) break;
    for (int k = 0; k < k_count; ++k) {
      cv::Point2d v(x.at<double>(k, 0), x.at<double>(k, 1));
      const double len = cv::norm(v);
      if (len > o.max_warp * size) v *= o.max_warp * size / len;
      move[static_cast<size_t>(k)] = v;
    }
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      cv::Point2d u(0, 0);
      for (int j = 0; j < 4; ++j) {
        u += weight[si][static_cast<size_t>(j)] *
             move[static_cast<size_t>(corner[si][static_cast<size_t>(j)])];
      }
      out[si] = base[si] + u;
    }
  }
  return out;
}

}  // namespace msrf
