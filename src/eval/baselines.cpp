#include "msrf/eval/baselines.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "msrf/core/box.h"
#include "msrf/pyramid/pyramid.h"

namespace msrf {
namespace {

std::vector<ScoredBox> Suppress(std::vector<ScoredBox> boxes, double nms_iou, double nms_inside,
                                int max_detections) {
  std::stable_sort(boxes.begin(), boxes.end(),
                   [](const ScoredBox& a, const ScoredBox& b) { return a.score > b.score; });
  std::vector<ScoredBox> kept;
  for (const ScoredBox& b : boxes) {
    if (static_cast<int>(kept.size()) >= max_detections) break;
    bool suppressed = false;
    for (const ScoredBox& k : kept) suppressed |= Suppresses(k.box, b.box, nms_iou, nms_inside);
    if (!suppressed) kept.push_back(b);
  }
  return kept;
}

}  // namespace

std::vector<ScoredBox> ChamferDetect(const cv::Mat& edges, const ShapeModel& model,
                                     const ChamferOptions& o) {
  cv::Mat distance;
  cv::distanceTransform(edges == 0, distance, cv::DIST_L2, 3);
  const double model_size = std::max(model.bbox.width, model.bbox.height);
  const double max_size = o.max_object_size > 0
                              ? o.max_object_size
                              : static_cast<double>(std::min(edges.cols, edges.rows));
  std::vector<cv::Point2d> drawn;
  for (size_t i = 0; i < model.points.size(); ++i) {
    if (model.drawn[i]) drawn.push_back(model.points[i] - model.centroid);
  }
  std::vector<ScoredBox> found;
  for (double size = o.min_object_size; size <= max_size; size *= o.scale_step) {
    const double k = size / model_size;
    const float tau = static_cast<float>(std::max(2.0, o.truncation * size));
    std::vector<cv::Point> offsets;
    offsets.reserve(drawn.size());
    for (const cv::Point2d& p : drawn) offsets.emplace_back(cvRound(p.x * k), cvRound(p.y * k));
    const int step = std::max(2, static_cast<int>(o.position_step * size));
    const int cols = edges.cols / step + 1, rows = edges.rows / step + 1;
    cv::Mat cost(rows, cols, CV_32F, cv::Scalar(1.0F));
    for (int gy = 0; gy < rows; ++gy) {
      for (int gx = 0; gx < cols; ++gx) {
        const cv::Point c(gx * step, gy * step);
        float sum = 0;
        for (const cv::Point& d : offsets) {
          const int qx = c.x + d.x, qy = c.y + d.y;
          sum += (qx < 0 || qy < 0 || qx >= edges.cols || qy >= edges.rows)
                     ? tau
                     : std::min(distance.ptr<float>(qy)[qx], tau);
        }
        cost.at<float>(gy, gx) = sum / static_cast<float>(offsets.size()) / tau;
      }
    }
    // Local minima of the cost over positions are the candidates at this size.
    for (int gy = 0; gy < rows; ++gy) {
      for (int gx = 0; gx < cols; ++gx) {
        const float c = cost.at<float>(gy, gx);
        if (c >= 0.7F) continue;
        bool minimum = true;
        for (int dy = -1; dy <= 1 && minimum; ++dy) {
          for (int dx = -1; dx <= 1 && minimum; ++dx) {
            const int y = gy + dy, x = gx + dx;
            if ((dx || dy) && x >= 0 && y >= 0 && x < cols && y < rows && cost.at<float>(y, x) < c)
              minimum = false;
          }
        }
        if (!minimum) continue;
        const cv::Point2d centre(gx * step, gy * step);
        const cv::Point2d tl = centre + (model.bbox.tl() - model.centroid) * k;
        ScoredBox b{
            1.0 - c, cv::Rect2d(tl.x, tl.y, model.bbox.width * k, model.bbox.height * k), {}, {}};
        for (const cv::Point2d& p : model.points)
          b.outline.push_back(centre + (p - model.centroid) * k);
        found.push_back(std::move(b));
      }
    }
  }
  return Suppress(std::move(found), o.nms_iou, o.nms_inside, o.max_detections);
}

Result<std::vector<ScoredBox>> GeneralizedHoughDetect(const cv::Mat& image, const cv::Mat& edges,
                                                      const ShapeModel& model,
                                                      const HoughOptions& o) {
  const double model_size = std::max(model.bbox.width, model.bbox.height);
  const int margin = 4;
  const cv::Mat gray = ToGray(image);
  cv::Mat blurred, dx, dy;
  cv::GaussianBlur(gray, blurred, cv::Size(), 1.0);
  cv::Sobel(blurred, dx, CV_32F, 1, 0);
  cv::Sobel(blurred, dy, CV_32F, 0, 1);

  const double max_size = o.max_object_size > 0
                              ? o.max_object_size
                              : static_cast<double>(std::min(image.cols, image.rows));
  // Ballard's transform votes for positions only, so it runs once per template size.
  std::vector<ScoredBox> found;
  for (double size = o.min_object_size; size <= max_size; size *= o.scale_ratio) {
    const double ks = size / model_size;
    cv::Mat t = cv::Mat(cvCeil(model.bbox.height * ks) + 2 * margin,
                        cvCeil(model.bbox.width * ks) + 2 * margin, CV_8U, cv::Scalar(0));
    std::vector<cv::Point> pts;
    for (const cv::Point2d& p : model.points) {
      pts.emplace_back(cvRound((p.x - model.bbox.x) * ks) + margin,
                       cvRound((p.y - model.bbox.y) * ks) + margin);
    }
    cv::fillPoly(t, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
    cv::Mat t_edges;
    cv::Canny(t, t_edges, 50, 100);
    const int points = std::max(1, cv::countNonZero(t_edges));
    cv::Ptr<cv::GeneralizedHoughBallard> ght = cv::createGeneralizedHoughBallard();
    ght->setLevels(180);
    ght->setDp(std::max(2.0, size / 40.0));  // coarser cells for larger templates
    ght->setVotesThreshold(std::max(5, points / 25));
    ght->setMinDist(size / 4);
    std::vector<cv::Vec4f> positions;
    std::vector<cv::Vec3i> votes;
    try {
      ght->setTemplate(t, cv::Point(t.cols / 2, t.rows / 2));
      ght->detect(edges, dx, dy, positions, votes);
    } catch (const cv::Exception& e) {
      return InternalError(std::string("generalized Hough failed: ") + e.what());
    }
    for (size_t i = 0; i < positions.size() && i < votes.size(); ++i) {
      const double w = model.bbox.width * ks, h = model.bbox.height * ks;
      // Votes grow with the template, but so do chance votes in clutter; dividing by the
      // square root of the template size ranked true detections best on ETHZ dev.
      const double score = votes[i][0] / std::sqrt(static_cast<double>(points));
      found.push_back({score,
                       cv::Rect2d(positions[i][0] - t.cols / 2.0 + margin,
                                  positions[i][1] - t.rows / 2.0 + margin, w, h),
                       {},
                       {}});
    }
  }
  return Suppress(std::move(found), o.nms_iou, o.nms_inside, o.max_detections);
}

}  // namespace msrf
