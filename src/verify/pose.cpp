#include "msrf/verify/pose.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace msrf {

std::vector<cv::Point2d> PlaceModel(const ShapeModel& model, const ModelPose& pose) {
  std::vector<cv::Point2d> out;
  out.reserve(model.points.size());
  for (const cv::Point2d& p : model.points) out.push_back(pose.Apply(p));
  return out;
}

ModelPose FitPose(const std::vector<cv::Point2d>& m, const std::vector<cv::Point2d>& p,
                  const std::vector<double>& w, const ModelPose& start, double max_stretch,
                  double max_angle) {
  ModelPose out = start;
  double wsum = 0;
  for (double x : w) wsum += x;
  if (wsum <= 0) return out;
  for (int iteration = 0; iteration < 2; ++iteration) {
    // Rotation: weighted complex Procrustes of the stretched model points onto p.
    cv::Point2d ma(0, 0), pa(0, 0);
    for (size_t i = 0; i < m.size(); ++i) {
      ma += w[i] * cv::Point2d(out.stretch * m[i].x, m[i].y / out.stretch);
      pa += w[i] * p[i];
    }
    ma *= 1.0 / wsum;
    pa *= 1.0 / wsum;
    double re = 0, im = 0;
    for (size_t i = 0; i < m.size(); ++i) {
      const cv::Point2d a = cv::Point2d(out.stretch * m[i].x, m[i].y / out.stretch) - ma,
                        b = p[i] - pa;
      re += w[i] * (a.x * b.x + a.y * b.y);
      im += w[i] * (a.x * b.y - a.y * b.x);
    }
    const double angle = std::clamp(std::atan2(im, re), -max_angle, max_angle);
    // Per model axis: R^T p = (sx m.x + tx, sy m.y + ty), two 1-d weighted regressions.
    const double c = std::cos(angle), s = std::sin(angle);
    double scale[2];
    for (int axis = 0; axis < 2; ++axis) {
      double sm = 0, sq = 0, smm = 0, smq = 0;
      for (size_t i = 0; i < m.size(); ++i) {
        const double mv = axis == 0 ? m[i].x : m[i].y;
        const double qv = axis == 0 ? c * p[i].x + s * p[i].y : -s * p[i].x + c * p[i].y;
        sm += w[i] * mv;
        sq += w[i] * qv;
        smm += w[i] * mv * mv;
        smq += w[i] * mv * qv;
      }
      const double var = smm - sm * sm / wsum;
      scale[axis] = var > 1e-12 ? (smq - sm * sq / wsum) / var : 0.0;
    }
    if (!(scale[0] > 0) || !(scale[1] > 0)) return start;
    const double k = std::clamp(std::sqrt(scale[0] / scale[1]), 1.0 / max_stretch, max_stretch);
    const double sc = std::sqrt(scale[0] * scale[1]);
    // Translation: with scale and stretch fixed, the weighted means must agree.
    out.similarity.scale = sc;
    out.similarity.angle = angle;
    out.stretch = k;
    out.similarity.translation = cv::Point2d(0, 0);
    cv::Point2d placed_mean(0, 0);
    for (size_t i = 0; i < m.size(); ++i) placed_mean += w[i] * out.Apply(m[i]);
    placed_mean *= 1.0 / wsum;
    out.similarity.translation = pa - placed_mean;
  }
  return out;
}

ModelPose RefinePose(const ShapeModel& model, const ModelPose& start,
                     const OrientedContours& contours, double model_size, double max_angle,
                     const VerifyOptions& o) {
  ModelPose pose = start;
  const int n = static_cast<int>(model.points.size());
  int drawn = 0;
  for (uint8_t d : model.drawn) drawn += d;
  for (int round = 0; round < o.refine_rounds; ++round) {
    const double size = pose.similarity.scale * model_size;
    const double t = o.refine_rounds > 1 ? static_cast<double>(round) / (o.refine_rounds - 1) : 0.0;
    const double radius =
        std::max(2.0, size * (o.search_radius + t * (o.support_tolerance - o.search_radius)));
    const std::vector<cv::Point2d> placed = PlaceModel(model, pose);
    std::vector<cv::Point2d> m, p;
    std::vector<double> w;
    for (int i = 0; i < n; ++i) {
      if (!model.drawn[static_cast<size_t>(i)]) continue;
      const ContourPair pair = PairWithContour(contours, placed, i, radius);
      if (!pair.found) continue;
      m.push_back(model.points[static_cast<size_t>(i)]);
      p.push_back(pair.target);
      w.push_back(pair.weight);
    }
    // Too few pairs to constrain a pose: keep what there is.
    if (static_cast<int>(m.size()) < std::max(8, drawn / 4)) break;
    pose = FitPose(m, p, w, pose, o.max_stretch, max_angle);
  }
  return pose;
}

}  // namespace msrf
