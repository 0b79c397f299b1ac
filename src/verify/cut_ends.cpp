#include "msrf/verify/cut_ends.h"

#include <algorithm>
#include <cmath>

namespace msrf {

std::vector<cv::Point2d> TraceCutEnds(const ShapeModel& model,
                                      const std::vector<cv::Point2d>& outline,
                                      const OrientedContours& contours, double tolerance,
                                      double limit) {
  std::vector<cv::Point2d> traced;
  const int n = static_cast<int>(outline.size());
  if (!(limit > 0)) return traced;
  auto at = [&](int i) { return outline[static_cast<size_t>(((i % n) + n) % n)]; };
  auto drawn = [&](int i) { return model.drawn[static_cast<size_t>(((i % n) + n) % n)] != 0; };
  const double step = std::max(2.0, tolerance);
  for (int i = 0; i < n; ++i) {
    // Point i ends a drawn stretch (edge i - 1 drawn, edge i not) or starts one.
    int towards = 0;
    if (drawn(i - 1) && !drawn(i)) towards = -1;
    if (!drawn(i - 1) && drawn(i)) towards = 1;
    if (towards == 0) continue;
    cv::Point2d dir = at(i) - at(i + 2 * towards);
    if (cv::norm(dir) <= 0) continue;
    dir *= 1.0 / cv::norm(dir);
    cv::Point2d p = at(i);
    int misses = 0;
    for (double walked = 0; walked < limit && misses < 2; walked += step) {
      const cv::Point2d ahead = p + step * dir;
      if (!contours.Inside(ahead)) break;
      const int c = contours.Channel(dir);
      const cv::Point2d q(contours.Nearest(c, ahead));
      if (contours.Distance(c, ahead) <= tolerance && (q - p).dot(dir) > 0) {
        const cv::Point2d turn = (q - p) * (1.0 / cv::norm(q - p));
        dir = 0.5 * (dir + turn);
        dir *= 1.0 / std::max(1e-9, cv::norm(dir));
        p = q;
        traced.push_back(p);
        misses = 0;
      } else {
        p = ahead;
        ++misses;
      }
    }
  }
  return traced;
}

}  // namespace msrf
