#include "msrf/verify/oriented_contours.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace msrf {

OrientedContours::OrientedContours(const std::vector<Fragment>& fragments, cv::Size size,
                                   int max_level, bool oriented)
    : oriented_(oriented) {
  std::vector<cv::Mat> masks(kBins);
  for (cv::Mat& m : masks) m = cv::Mat(size, CV_8U, cv::Scalar(0));
  for (const Fragment& f : fragments) {
    if (f.level > max_level) continue;
    for (size_t i = 0; i + 1 < f.points.size(); ++i) {
      const cv::Point a(cvRound(f.points[i].x), cvRound(f.points[i].y));
      const cv::Point b(cvRound(f.points[i + 1].x), cvRound(f.points[i + 1].y));
      // The direction over a few points is steadier than over one pixel step.
      const size_t lo = i >= 2 ? i - 2 : 0, hi = std::min(f.points.size() - 1, i + 3);
      const cv::Point2f d = f.points[hi] - f.points[lo];
      cv::line(masks[static_cast<size_t>(oriented ? Bin(d) : 0)], a, b, cv::Scalar(255), 1,
               cv::LINE_8);
    }
  }
  cv::Mat any = masks[0].clone();
  for (int c = 1; c < kBins; ++c) any |= masks[static_cast<size_t>(c)];
  cv::dilate(any, near_any_, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
  const int channels = oriented ? kBins : 1;
  for (int c = 0; c < channels; ++c) {
    cv::Mat in_channel = masks[static_cast<size_t>(c)].clone();
    if (oriented) {
      in_channel |= masks[static_cast<size_t>((c + 1) % kBins)];
      in_channel |= masks[static_cast<size_t>((c + kBins - 1) % kBins)];
    }
    cv::Mat labels;
    cv::distanceTransform(255 - in_channel, distance_[static_cast<size_t>(c)], labels, cv::DIST_L2,
                          cv::DIST_MASK_5, cv::DIST_LABEL_PIXEL);
    std::vector<cv::Point>& where = where_[static_cast<size_t>(c)];
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        if (!in_channel.at<uint8_t>(y, x)) continue;
        const int label = labels.at<int>(y, x);
        if (label >= static_cast<int>(where.size())) where.resize(static_cast<size_t>(label) + 1);
        where[static_cast<size_t>(label)] = cv::Point(x, y);
      }
    }
    labels_[static_cast<size_t>(c)] = std::move(labels);
  }
}

int OrientedContours::Bin(cv::Point2d d) {
  double a = std::atan2(d.y, d.x);
  if (a < 0) a += CV_PI;
  return std::min(kBins - 1, static_cast<int>(a / (CV_PI / kBins))) % kBins;
}

ContourPair PairWithContour(const OrientedContours& contours,
                            const std::vector<cv::Point2d>& points, int i, double radius) {
  const int n = static_cast<int>(points.size());
  const cv::Point2d q = points[static_cast<size_t>(i)];
  if (!contours.Inside(q)) return {};
  const int c = contours.Channel(points[static_cast<size_t>((i + 1) % n)] -
                                 points[static_cast<size_t>((i + n - 1) % n)]);
  const double d = contours.Distance(c, q);
  if (d > radius) return {};
  const double e = d / radius;
  return {true, cv::Point2d(contours.Nearest(c, q)), (1 - e * e) * (1 - e * e)};
}

}  // namespace msrf
