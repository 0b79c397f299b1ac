#include "msrf/verify/limb.h"

#include <algorithm>
#include <cmath>

namespace msrf {

Limb FindLimb(const ShapeModel& model) {
  constexpr double kMaxChord = 0.25, kMinReach = 0.35;
  const int n = static_cast<int>(model.points.size());
  const double size = std::max(model.bbox.width, model.bbox.height);
  Limb best;
  double best_value = 0;
  for (int a = 0; a < n; ++a) {
    for (int length = n / 8; length <= n / 2; ++length) {
      const int b = (a + length) % n;
      const cv::Point2d pa = model.points[static_cast<size_t>(a)],
                        pb = model.points[static_cast<size_t>(b)];
      const double chord = cv::norm(pa - pb);
      if (chord > kMaxChord * size) continue;
      const cv::Point2d middle = 0.5 * (pa + pb);
      double reach = 0;
      for (int k = 1; k < length; ++k) {
        reach = std::max(reach, cv::norm(model.points[static_cast<size_t>((a + k) % n)] - middle));
      }
      if (reach < kMinReach * size || reach - chord <= best_value) continue;
      best_value = reach - chord;
      best = {a, b};
    }
  }
  return best;
}

std::vector<cv::Point2d> TurnLimb(const std::vector<cv::Point2d>& points, const Limb& limb,
                                  double angle) {
  constexpr int kFade = 3;
  std::vector<cv::Point2d> out = points;
  if (!limb.found() || angle == 0.0) return out;
  const int n = static_cast<int>(points.size());
  const int length = (limb.last - limb.first + n) % n;
  const cv::Point2d pivot =
      0.5 * (points[static_cast<size_t>(limb.first)] + points[static_cast<size_t>(limb.last)]);
  for (int k = 1; k < length; ++k) {
    const double fade = std::min(1.0, std::min(k, length - k) / static_cast<double>(kFade + 1));
    const double c = std::cos(fade * angle), s = std::sin(fade * angle);
    const size_t i = static_cast<size_t>((limb.first + k) % n);
    const cv::Point2d d = points[i] - pivot;
    out[i] = pivot + cv::Point2d(c * d.x - s * d.y, s * d.x + c * d.y);
  }
  return out;
}

double BestLimbTurn(const ShapeModel& model, const Limb& limb,
                    const std::vector<cv::Point2d>& placed, const OrientedContours& contours,
                    double size, const VerifyOptions& o) {
  constexpr double kMargin = 0.05;
  const double max_turn = o.max_limb_turn_deg * CV_PI / 180.0;
  if (!limb.found() || !(max_turn > 0)) return 0.0;
  const int n = static_cast<int>(placed.size());
  const int length = (limb.last - limb.first + n) % n;
  const double radius = std::max(2.0, 2.0 * o.support_tolerance * size);
  int drawn = 0;
  const auto paired = [&](const std::vector<cv::Point2d>& points) {
    double sum = 0;
    drawn = 0;
    for (int k = 0; k <= length; ++k) {
      const int i = (limb.first + k) % n;
      if (!model.drawn[static_cast<size_t>(i)]) continue;
      ++drawn;
      sum += PairWithContour(contours, points, i, radius).weight;
    }
    return sum;
  };
  const double at_rest = paired(placed);  // counts the limb's drawn points
  double best = at_rest + kMargin * drawn, turn = 0.0;
  for (int step = -o.limb_turn_steps; step <= o.limb_turn_steps; ++step) {
    if (step == 0) continue;
    const double angle = max_turn * step / o.limb_turn_steps;
    const double value = paired(TurnLimb(placed, limb, angle));
    if (value > best) {
      best = value;
      turn = angle;
    }
  }
  return turn;
}

}  // namespace msrf
