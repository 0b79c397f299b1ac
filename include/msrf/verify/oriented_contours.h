// The image's contours split by orientation, with the distance to and the nearest pixel of
// each channel: what a placed model is refined onto and scored against.
#pragma once

#include <opencv2/core.hpp>

#include <array>
#include <vector>

#include "msrf/fragments/fragment.h"

namespace msrf {

// The contours of the finest levels split by orientation: channel b holds the contour
// pixels whose direction lies within one bin of bin b (bins of 180 / kBins degrees), with
// the distance from every pixel to the nearest of them and which one it is.
class OrientedContours {
 public:
  static constexpr int kBins = 8;

  // From the fragments of levels <= max_level, in an image of `size`; oriented false: one
  // channel for all directions.
  OrientedContours(const std::vector<Fragment>& fragments, cv::Size size, int max_level,
                   bool oriented);

  // The channel of a direction.
  int Channel(cv::Point2d direction) const { return oriented_ ? Bin(direction) : 0; }
  cv::Size size() const { return distance_[0].size(); }
  bool Inside(cv::Point2d p) const {
    return p.x >= 0 && p.y >= 0 && p.x <= size().width - 1 && p.y <= size().height - 1;
  }
  // Distance from p (inside) to the nearest contour pixel of channel c, and that pixel.
  float Distance(int c, cv::Point2d p) const {
    return distance_[static_cast<size_t>(c)].at<float>(cvRound(p.y), cvRound(p.x));
  }
  cv::Point Nearest(int c, cv::Point2d p) const {
    const int label = labels_[static_cast<size_t>(c)].at<int>(cvRound(p.y), cvRound(p.x));
    const auto& where = where_[static_cast<size_t>(c)];
    return label >= 0 && label < static_cast<int>(where.size())
               ? where[static_cast<size_t>(label)]
               : cv::Point(cvRound(p.x), cvRound(p.y));
  }
  // 255 where a contour pixel of any orientation lies within one pixel, else 0.
  const cv::Mat& near_any() const { return near_any_; }
  // Fraction of the pixels of `box` within `tolerance` of a contour of channel c.
  double NearFraction(int c, const cv::Rect& box, double tolerance) const {
    const cv::Rect r = box & cv::Rect(cv::Point(0, 0), size());
    if (r.area() <= 0) return 0.0;
    return cv::countNonZero(distance_[static_cast<size_t>(c)](r) <= tolerance) /
           static_cast<double>(r.area());
  }

 private:
  static int Bin(cv::Point2d d);

  bool oriented_;
  cv::Mat near_any_;
  std::array<cv::Mat, kBins> distance_;
  std::array<cv::Mat, kBins> labels_;
  std::array<std::vector<cv::Point>, kBins> where_;
};

// Pairs point i of the closed contour `points` with the nearest contour pixel of its
// orientation (taken from its neighbours) within `radius`, weighted by Tukey's biweight of
// the distance; not found when there is none or the point is outside the image.
struct ContourPair {
  bool found = false;
  cv::Point2d target;
  double weight = 0.0;
};
ContourPair PairWithContour(const OrientedContours& contours,
                            const std::vector<cv::Point2d>& points, int i, double radius);

}  // namespace msrf
