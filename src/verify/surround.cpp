#include "msrf/verify/surround.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "point_bounds.h"

namespace msrf {

double Surround(const std::vector<cv::Point2d>& outline, double inner, double outer,
                const OrientedContours& contours) {
  if (outline.size() < 3) return 0.0;
  const auto [x0, y0, x1, y1] = Bounds(outline);
  const int pad = static_cast<int>(std::ceil(outer)) + 2;
  const cv::Rect roi = cv::Rect(cv::Point(cvFloor(x0) - pad, cvFloor(y0) - pad),
                                cv::Point(cvCeil(x1) + pad, cvCeil(y1) + pad)) &
                       cv::Rect(cv::Point(0, 0), contours.size());
  if (roi.area() <= 0) return 0.0;
  cv::Mat inside(roi.size(), CV_8U, cv::Scalar(0));
  std::vector<cv::Point> polygon;
  polygon.reserve(outline.size());
  for (const cv::Point2d& q : outline)
    polygon.emplace_back(cvRound(q.x) - roi.x, cvRound(q.y) - roi.y);
  cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(255));
  cv::Mat distance;
  cv::distanceTransform(~inside, distance, cv::DIST_L2, cv::DIST_MASK_5);
  const cv::Mat band = (distance > inner) & (distance <= outer);
  const int total = cv::countNonZero(band);
  if (total == 0) return 0.0;
  return cv::countNonZero(band & contours.near_any()(roi)) / static_cast<double>(total);
}

}  // namespace msrf
