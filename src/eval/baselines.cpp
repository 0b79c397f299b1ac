#include "msrf/eval/baselines.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace msrf {
namespace {

double Iou(const cv::Rect2d& a, const cv::Rect2d& b) {
  const double inter = (a & b).area();
  const double uni = a.area() + b.area() - inter;
  return uni > 0 ? inter / uni : 0.0;
}

std::vector<ScoredBox> Suppress(std::vector<ScoredBox> boxes, double nms_iou, int max_detections) {
  std::stable_sort(boxes.begin(), boxes.end(),
                   [](const ScoredBox& a, const ScoredBox& b) { return a.score > b.score; });
  std::vector<ScoredBox> kept;
  for (const ScoredBox& b : boxes) {
    if (static_cast<int>(kept.size()) >= max_detections) break;
    bool suppressed = false;
    for (const ScoredBox& k : kept) suppressed |= Iou(k.box, b.box) > nms_iou;
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
  const double max_size = o.max_object_size > 0 ? o.max_object_size
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
    for (const cv::Point2d& p : drawn) offsets.emplace_back(cvRound(p.x * k), cvRound(p.y * k));
    const int step = std::max(1, static_cast<int>(o.position_step * size));
    const int cols = edges.cols / step + 1, rows = edges.rows / step + 1;
    cv::Mat cost(rows, cols, CV_32F, cv::Scalar(1.0F));
    for (int gy = 0; gy < rows; ++gy) {
      for (int gx = 0; gx < cols; ++gx) {
        const cv::Point c(gx * step, gy * step);
        float sum = 0;
        for (const cv::Point& d : offsets) {
          const cv::Point q = c + d;
          sum += (q.x < 0 || q.y < 0 || q.x >= edges.cols || q.y >= edges.rows)
                     ? tau
                     : std::min(distance.at<float>(q), tau);
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
            if ((dx || dy) && x >= 0 && y >= 0 && x < cols && y < rows && cost.at<float>(y, x) < c) minimum = false;
          }
        }
        if (!minimum) continue;
        const cv::Point2d centre(gx * step, gy * step);
        const cv::Point2d tl = centre + (model.bbox.tl() - model.centroid) * k;
        found.push_back({1.0 - c, cv::Rect2d(tl.x, tl.y, model.bbox.width * k, model.bbox.height * k)});
      }
    }
  }
  return Suppress(std::move(found), o.nms_iou, o.max_detections);
}

Result<std::vector<ScoredBox>> GeneralizedHoughDetect(const cv::Mat& image, const cv::Mat& edges,
                                                      const ShapeModel& model, const HoughOptions& o) {
  // Template: the model's silhouette, 100 pixels on its larger side, on black.
  constexpr double kTemplateSize = 100.0;
  const double model_size = std::max(model.bbox.width, model.bbox.height);
  const double k = kTemplateSize / model_size;
  const int margin = 4;
  cv::Mat templ = cv::Mat::zeros(cvCeil(model.bbox.height * k) + 2 * margin,
                                 cvCeil(model.bbox.width * k) + 2 * margin, CV_8U);
  std::vector<cv::Point> poly;
  for (const cv::Point2d& p : model.points) {
    poly.emplace_back(cvRound((p.x - model.bbox.x) * k) + margin, cvRound((p.y - model.bbox.y) * k) + margin);
  }
  cv::fillPoly(templ, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(255));
  cv::Mat templ_edges;
  cv::Canny(templ, templ_edges, 50, 100);
  const int template_points = std::max(1, cv::countNonZero(templ_edges));

  cv::Mat gray;
  if (image.channels() == 3) {
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
  } else {
    gray = image;
  }
  cv::Mat blurred, dx, dy;
  cv::GaussianBlur(gray, blurred, cv::Size(), 1.0);
  cv::Sobel(blurred, dx, CV_32F, 1, 0);
  cv::Sobel(blurred, dy, CV_32F, 0, 1);

  const double max_size = o.max_object_size > 0 ? o.max_object_size
                                                : static_cast<double>(std::min(image.cols, image.rows));
  cv::Ptr<cv::GeneralizedHoughGuil> ght = cv::createGeneralizedHoughGuil();
  ght->setMinScale(o.min_object_size / kTemplateSize);
  ght->setMaxScale(max_size / kTemplateSize);
  ght->setScaleStep(o.scale_step);
  ght->setMinAngle(-o.max_rotation_deg);
  ght->setMaxAngle(o.max_rotation_deg);
  ght->setAngleStep(o.angle_step_deg);
  ght->setLevels(360);
  ght->setPosThresh(std::max(8, template_points / 20));
  ght->setScaleThresh(std::max(8, template_points / 20));
  ght->setAngleThresh(std::max(8, template_points / 20));
  ght->setMaxBufferSize(1000);
  std::vector<cv::Vec4f> positions;
  std::vector<cv::Vec3i> votes;
  try {
    ght->setTemplate(templ, cv::Point(templ.cols / 2, templ.rows / 2));
    ght->detect(edges, dx, dy, positions, votes);
  } catch (const cv::Exception& e) {
    return InternalError(std::string("generalized Hough failed: ") + e.what());
  }
  std::vector<ScoredBox> found;
  for (size_t i = 0; i < positions.size(); ++i) {
    const cv::Vec4f& p = positions[i];
    const double s = p[2];
    const double w = templ.cols * s, h = templ.rows * s;
    const double score = std::min(1.0, votes.size() > i ? votes[i][0] / static_cast<double>(template_points) : 0.0);
    found.push_back({score, cv::Rect2d(p[0] - w / 2 + margin * s, p[1] - h / 2 + margin * s,
                                       w - 2 * margin * s, h - 2 * margin * s)});
  }
  return Suppress(std::move(found), o.nms_iou, o.max_detections);
}

}  // namespace msrf
