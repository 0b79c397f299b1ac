// The grouped contour, measured: contour accuracy of each method's correct detections, and
// the figure of the worst and best.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "msrf/core/box.h"
#include "msrf/eval/bench.h"

namespace msrf {
namespace {

ContourMatch Mean(const std::vector<ContourCase>& cases, bool outline) {
  ContourMatch mean;
  if (cases.empty()) return mean;
  for (const ContourCase& c : cases) {
    const ContourMatch& m = outline ? c.outline : c.fragments;
    mean.coverage += m.coverage;
    mean.precision += m.precision;
  }
  mean.coverage /= static_cast<double>(cases.size());
  mean.precision /= static_cast<double>(cases.size());
  return mean;
}

ClassContours Summarise(std::vector<ContourCase> cases) {
  ClassContours c;
  c.outline = Mean(cases, true);
  c.fragments = Mean(cases, false);
  c.cases = std::move(cases);
  return c;
}

std::vector<cv::Point> ToPixels(const std::vector<cv::Point2d>& curve, cv::Point2d origin,
                                double scale) {
  std::vector<cv::Point> out;
  out.reserve(curve.size());
  for (const cv::Point2d& p : curve) {
    out.emplace_back(static_cast<int>(std::lround((p.x - origin.x) * scale)),
                     static_cast<int>(std::lround((p.y - origin.y) * scale)));
  }
  return out;
}

// One panel: the object's surroundings, `height` pixels high, with the three contours.
cv::Mat Panel(const BenchImage& image, const cv::Rect2d& box, const std::vector<cv::Point>& truth,
              const ScoredDetection& d, const ContourCase& c, int height) {
  const double margin = 0.15 * std::max(box.width, box.height);
  cv::Rect2d window(box.x - margin, box.y - margin, box.width + 2 * margin,
                    box.height + 2 * margin);
  window &= cv::Rect2d(0, 0, image.image.cols, image.image.rows);
  const double scale = height / std::max(1.0, window.height);
  const cv::Rect pixels(cv::Point(static_cast<int>(window.x), static_cast<int>(window.y)),
                        cv::Point(static_cast<int>(std::ceil(window.br().x)),
                                  static_cast<int>(std::ceil(window.br().y))));
  cv::Mat panel;
  cv::resize(image.image(pixels & cv::Rect(0, 0, image.image.cols, image.image.rows)), panel,
             cv::Size(std::max(1, static_cast<int>(std::lround(pixels.width * scale))), height));
  if (panel.channels() == 1) cv::cvtColor(panel, panel, cv::COLOR_GRAY2BGR);
  panel = panel * 0.6;  // dimmed, so that the contours stand out
  const cv::Point2d origin(pixels.x, pixels.y);
  const std::vector<cv::Point2d> truth_points(truth.begin(), truth.end());
  for (const cv::Point& p : ToPixels(truth_points, origin, scale)) {
    cv::circle(panel, p, 1, cv::Scalar(0, 220, 0), cv::FILLED);
  }
  for (const auto& fragment : d.contours) {
    cv::polylines(panel, ToPixels(fragment, origin, scale), false, cv::Scalar(255, 160, 0), 2,
                  cv::LINE_AA);
  }
  if (!d.outline.empty()) {
    cv::polylines(panel, ToPixels(d.outline, origin, scale), true, cv::Scalar(0, 0, 255), 1,
                  cv::LINE_AA);
  }
  char label[64];
  std::snprintf(label, sizeof(label), "F %.2f", c.outline.F());
  cv::putText(panel, label, cv::Point(4, 14), cv::FONT_HERSHEY_SIMPLEX, 0.4,
              cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  return panel;
}

}  // namespace

std::vector<MethodContours> ScoreBenchContours(const ShapeDataset& data, const BenchInputs& inputs,
                                               const std::vector<MethodDetections>& runs) {
  std::vector<MethodContours> all;
  for (const MethodDetections& run : runs) {
    MethodContours m;
    m.name = run.name;
    std::vector<ContourCase> pooled;
    for (const std::string& klass : data.classes) {
      std::vector<ContourCase> cases;
      const auto found = run.by_class.find(klass);
      for (size_t i = 0; found != run.by_class.end() && i < data.images.size(); ++i) {
        if (i >= inputs.images.size()) continue;
        const std::vector<std::vector<cv::Point>>& outlines = inputs.images[i].outlines;
        const std::vector<DatasetObject>& objects = data.images[i].objects;
        for (size_t b = 0; b < objects.size() && b < outlines.size(); ++b) {
          if (objects[b].klass != klass || outlines[b].empty()) continue;
          const cv::Rect2d& truth = objects[b].box;
          // The best-scoring detection that boxes this object.
          const ScoredDetection* best = nullptr;
          size_t best_index = 0;
          for (size_t k = 0; k < found->second.size(); ++k) {
            const ScoredDetection& d = found->second[k];
            if (d.image != static_cast<int>(i) || BoxIou(d.box, truth) < 0.5) continue;
            if (best == nullptr || d.score > best->score) {
              best = &d;
              best_index = k;
            }
          }
          if (best == nullptr || (best->outline.empty() && best->contours.empty())) continue;
          const double tolerance = kContourTolerance * std::hypot(truth.width, truth.height);
          ContourCase c;
          c.image = static_cast<int>(i);
          c.detection = best_index;
          c.object = b;
          c.outline = MatchContour(outlines[b], {best->outline}, true, tolerance);
          c.fragments = MatchContour(outlines[b], best->contours, false, tolerance);
          m.has_outline |= !best->outline.empty();
          m.has_fragments |= !best->contours.empty();
          cases.push_back(c);
        }
      }
      pooled.insert(pooled.end(), cases.begin(), cases.end());
      m.classes.push_back(Summarise(std::move(cases)));
    }
    m.classes.push_back(Summarise(std::move(pooled)));
    all.push_back(std::move(m));
  }
  return all;
}

cv::Mat BenchContourFigure(const ShapeDataset& data, const BenchInputs& inputs,
                           const std::vector<MethodDetections>& runs,
                           const std::vector<MethodContours>& contours) {
  constexpr int kHeight = 180;
  for (size_t m = 0; m < contours.size() && m < runs.size(); ++m) {
    if (!contours[m].has_outline) continue;
    std::vector<cv::Mat> rows;
    for (size_t k = 0; k < data.classes.size(); ++k) {
      const std::vector<ContourCase>& cases = contours[m].classes[k].cases;
      if (cases.empty()) continue;
      const auto by_f = [](const ContourCase& a, const ContourCase& b) {
        return a.outline.F() < b.outline.F();
      };
      const ContourCase& worst = *std::min_element(cases.begin(), cases.end(), by_f);
      const ContourCase& best = *std::max_element(cases.begin(), cases.end(), by_f);
      std::vector<cv::Mat> panels;
      cv::Mat title(kHeight, 110, CV_8UC3, cv::Scalar(255, 255, 255));
      cv::putText(title, data.classes[k], cv::Point(4, kHeight / 2), cv::FONT_HERSHEY_SIMPLEX, 0.45,
                  cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
      panels.push_back(title);
      for (const ContourCase* c : {&worst, &best}) {
        const size_t i = static_cast<size_t>(c->image);
        const ScoredDetection& d = runs[m].by_class.at(data.classes[k])[c->detection];
        panels.push_back(Panel(inputs.images[i], data.images[i].objects[c->object].box,
                               inputs.images[i].outlines[c->object], d, *c, kHeight));
        panels.emplace_back(kHeight, 6, CV_8UC3, cv::Scalar(255, 255, 255));
      }
      cv::Mat row;
      cv::hconcat(panels, row);
      rows.push_back(row);
    }
    if (rows.empty()) break;
    int width = 0;
    for (const cv::Mat& r : rows) width = std::max(width, r.cols);
    for (cv::Mat& r : rows) {
      cv::copyMakeBorder(r, r, 0, 6, 0, width - r.cols, cv::BORDER_CONSTANT,
                         cv::Scalar(255, 255, 255));
    }
    cv::Mat figure;
    cv::vconcat(rows, figure);
    return figure;
  }
  cv::Mat note(40, 420, CV_8UC3, cv::Scalar(255, 255, 255));
  cv::putText(note, "no method gave a contour for a correct detection", cv::Point(6, 25),
              cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
  return note;
}

}  // namespace msrf
