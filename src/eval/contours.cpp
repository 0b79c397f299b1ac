#include "msrf/eval/contours.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "msrf/core/box.h"
#include "msrf/io/image_io.h"

namespace msrf {
namespace {

// Points along a polyline, at most half a pixel apart.
std::vector<cv::Point2d> Densify(const std::vector<cv::Point2d>& curve, bool closed) {
  std::vector<cv::Point2d> out;
  const size_t n = curve.size();
  if (n == 0) return out;
  const size_t segments = closed && n > 2 ? n : n - 1;
  out.push_back(curve[0]);
  for (size_t i = 0; i < segments; ++i) {
    const cv::Point2d a = curve[i], b = curve[(i + 1) % n];
    const int steps = std::max(1, static_cast<int>(std::ceil(cv::norm(b - a) * 2.0)));
    for (int k = 1; k <= steps; ++k) out.push_back(a + (b - a) * (static_cast<double>(k) / steps));
  }
  return out;
}

// The share of `points` within `tolerance` of the nonzero pixels of `target` (a mask of the
// window whose top-left is `origin`).
double ShareNear(const std::vector<cv::Point2d>& points, const cv::Mat& target, cv::Point origin,
                 double tolerance) {
  if (points.empty()) return 0.0;
  cv::Mat inverse = target == 0, distance;
  cv::distanceTransform(inverse, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  size_t near = 0;
  for (const cv::Point2d& p : points) {
    const int x = static_cast<int>(std::lround(p.x)) - origin.x;
    const int y = static_cast<int>(std::lround(p.y)) - origin.y;
    if (x >= 0 && y >= 0 && x < distance.cols && y < distance.rows &&
        distance.at<float>(y, x) <= tolerance) {
      ++near;
    }
  }
  return static_cast<double>(near) / static_cast<double>(points.size());
}

}  // namespace

std::vector<std::vector<cv::Point>> OutlinesOfDrawing(const cv::Mat& drawing) {
  CV_Assert(drawing.type() == CV_8UC1);
  std::map<int, cv::Mat> levels;
  for (int y = 0; y < drawing.rows; ++y) {
    const uchar* row = drawing.ptr<uchar>(y);
    for (int x = 0; x < drawing.cols; ++x) {
      if (row[x] == 0) continue;
      cv::Mat& m = levels[row[x]];
      if (m.empty()) m = cv::Mat::zeros(drawing.size(), CV_8U);
      m.at<uchar>(y, x) = 255;
    }
  }
  std::vector<std::vector<cv::Point>> outlines;
  for (auto& [level, mask] : levels) {
    cv::Mat thin;
    cv::ximgproc::thinning(mask, thin, cv::ximgproc::THINNING_ZHANGSUEN);
    std::vector<cv::Point> points;
    cv::findNonZero(thin, points);
    if (!points.empty()) outlines.push_back(std::move(points));
  }
  return outlines;
}

std::vector<cv::Point> OutlineOfMask(const cv::Mat& mask) {
  CV_Assert(mask.type() == CV_8UC1);
  const cv::Mat inside = mask != 0;
  cv::Mat interior;
  cv::erode(inside, interior, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)),
            cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  std::vector<cv::Point> points;
  cv::findNonZero(inside & ~interior, points);
  return points;
}

namespace {

// An object's own outline file: the centre line of its drawing, or its mask's boundary.
Result<std::vector<cv::Point>> ReadObjectOutline(const DatasetObject& object, cv::Size image_size) {
  const bool mask = object.outline_path.empty();
  const std::string& path = mask ? object.mask_path : object.outline_path;
  ImageReadOptions options;
  options.imread_flags = 0;  // cv::IMREAD_GRAYSCALE
  MSRF_ASSIGN_OR_RETURN(const cv::Mat drawing, ReadImage(path, options));
  if (!image_size.empty() && drawing.size() != image_size) {
    return InvalidArgumentError(path + ": is " + std::to_string(drawing.cols) + "x" +
                                std::to_string(drawing.rows) + " but its image is " +
                                std::to_string(image_size.width) + "x" +
                                std::to_string(image_size.height));
  }
  if (mask) return OutlineOfMask(drawing);
  std::vector<std::vector<cv::Point>> lines = OutlinesOfDrawing(drawing != 0);
  return lines.empty() ? std::vector<cv::Point>() : std::move(lines.front());
}

}  // namespace

Result<std::vector<std::vector<cv::Point>>> ReadDatasetOutlines(const DatasetImage& image,
                                                                cv::Size image_size) {
  std::vector<std::vector<cv::Point>> outlines(image.objects.size());
  std::vector<bool> own(image.objects.size(), false);
  for (size_t b = 0; b < image.objects.size(); ++b) {
    const DatasetObject& object = image.objects[b];
    if (object.outline_path.empty() && object.mask_path.empty()) continue;
    MSRF_ASSIGN_OR_RETURN(outlines[b], ReadObjectOutline(object, image_size));
    own[b] = true;
  }
  std::vector<std::vector<cv::Point>> drawn;
  ImageReadOptions options;
  options.imread_flags = 0;  // cv::IMREAD_GRAYSCALE
  for (const std::string& path : image.outline_paths) {
    MSRF_ASSIGN_OR_RETURN(const cv::Mat drawing, ReadImage(path, options));
    for (auto& outline : OutlinesOfDrawing(drawing)) drawn.push_back(std::move(outline));
  }
  // Each object without an outline of its own takes the drawn outline whose bounding box
  // overlaps its box most.
  std::vector<bool> used(drawn.size(), false);
  for (size_t b = 0; b < image.objects.size(); ++b) {
    if (own[b]) continue;
    double best = 0.3;
    int chosen = -1;
    for (size_t d = 0; d < drawn.size(); ++d) {
      if (used[d]) continue;
      const double iou = BoxIou(image.objects[b].box, cv::Rect2d(cv::boundingRect(drawn[d])));
      if (iou > best) {
        best = iou;
        chosen = static_cast<int>(d);
      }
    }
    if (chosen >= 0) {
      used[static_cast<size_t>(chosen)] = true;
      outlines[b] = drawn[static_cast<size_t>(chosen)];
    }
  }
  return outlines;
}

ContourMatch MatchContour(const std::vector<cv::Point>& truth,
                          const std::vector<std::vector<cv::Point2d>>& curves, bool closed,
                          double tolerance) {
  std::vector<cv::Point2d> drawn;
  for (const auto& curve : curves) {
    for (const cv::Point2d& p : Densify(curve, closed)) drawn.push_back(p);
  }
  ContourMatch match;
  if (truth.empty() || drawn.empty()) return match;
  // A window around both, with room for the tolerance.
  cv::Rect2d extent = cv::boundingRect(truth);
  for (const cv::Point2d& p : drawn) extent |= cv::Rect2d(p.x, p.y, 1, 1);
  const int margin = static_cast<int>(std::ceil(tolerance)) + 2;
  const cv::Point origin(static_cast<int>(std::floor(extent.x)) - margin,
                         static_cast<int>(std::floor(extent.y)) - margin);
  const cv::Size size(static_cast<int>(std::ceil(extent.width)) + 2 * margin + 2,
                      static_cast<int>(std::ceil(extent.height)) + 2 * margin + 2);
  cv::Mat truth_mask = cv::Mat::zeros(size, CV_8U), drawn_mask = cv::Mat::zeros(size, CV_8U);
  std::vector<cv::Point2d> truth_points;
  for (const cv::Point& p : truth) {
    truth_mask.at<uchar>(p - origin) = 255;
    truth_points.emplace_back(p.x, p.y);
  }
  for (const cv::Point2d& p : drawn) {
    const cv::Point q(static_cast<int>(std::lround(p.x)) - origin.x,
                      static_cast<int>(std::lround(p.y)) - origin.y);
    drawn_mask.at<uchar>(q) = 255;
  }
  match.coverage = ShareNear(truth_points, drawn_mask, origin, tolerance);
  match.precision = ShareNear(drawn, truth_mask, origin, tolerance);
  return match;
}

}  // namespace msrf
