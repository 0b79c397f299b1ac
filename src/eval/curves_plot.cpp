#include "msrf/eval/curves_plot.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>

namespace msrf {

DetectionCurve MeanCurve(const std::vector<DetectionCurve>& curves, double max_fppi) {
  DetectionCurve mean;
  constexpr int kSteps = 300;
  for (int k = 0; k <= kSteps; ++k) {
    const double f = max_fppi * k / kSteps;
    double sum = 0;
    for (const DetectionCurve& c : curves) sum += c.RateAtFppi(f);
    mean.fppi.push_back(f);
    mean.detection_rate.push_back(curves.empty() ? 0.0 : sum / static_cast<double>(curves.size()));
  }
  return mean;
}

cv::Mat DrawDetectionCurves(const std::vector<std::string>& titles,
                            const std::vector<PlotSeries>& series, double max_fppi) {
  static const cv::Scalar kColours[] = {
      {40, 160, 40}, {200, 90, 30}, {40, 40, 210}, {160, 40, 160}, {30, 150, 200}};
  constexpr int kPanelW = 400, kPanelH = 316, kLeft = 52, kRight = 14, kTop = 46, kBottom = 44;
  const int columns = 3;
  const int rows = (static_cast<int>(titles.size()) + columns - 1) / columns;
  cv::Mat canvas(rows * kPanelH + 14, columns * kPanelW, CV_8UC3, cv::Scalar(255, 255, 255));
  const auto font = cv::FONT_HERSHEY_SIMPLEX;
  for (size_t p = 0; p < titles.size(); ++p) {
    const int ox = static_cast<int>(p % columns) * kPanelW,
              oy = static_cast<int>(p / columns) * kPanelH;
    const int w = kPanelW - kLeft - kRight, h = kPanelH - kTop - kBottom;
    const cv::Point origin(ox + kLeft, oy + kTop + h);
    auto at = [&](double fppi, double dr) {
      return cv::Point(origin.x + cvRound(w * std::min(fppi, max_fppi) / max_fppi),
                       origin.y - cvRound(h * dr));
    };
    cv::rectangle(canvas, cv::Point(origin.x, origin.y - h), cv::Point(origin.x + w, origin.y),
                  cv::Scalar(0, 0, 0), 1);
    for (int t = 0; t <= 5; ++t) {  // grid and ticks
      const double dr = t / 5.0;
      cv::line(canvas, at(0, dr), at(max_fppi, dr), cv::Scalar(225, 225, 225), 1);
      char label[16];
      std::snprintf(label, sizeof(label), "%.1f", dr);
      cv::putText(canvas, label, at(0, dr) + cv::Point(-30, 4), font, 0.35, cv::Scalar(0, 0, 0), 1,
                  cv::LINE_AA);
    }
    for (double f = 0; f <= max_fppi + 1e-9; f += 0.5) {
      char label[16];
      std::snprintf(label, sizeof(label), "%.1f", f);
      cv::putText(canvas, label, at(f, 0) + cv::Point(-8, 16), font, 0.35, cv::Scalar(0, 0, 0), 1,
                  cv::LINE_AA);
    }
    for (double f : {0.3, 0.4}) {
      cv::line(canvas, at(f, 0), at(f, 1), cv::Scalar(190, 190, 190), 1, cv::LINE_AA);
    }
    cv::putText(canvas, "false positives per image",
                cv::Point(origin.x + w / 2 - 80, origin.y + 34), font, 0.4, cv::Scalar(0, 0, 0), 1,
                cv::LINE_AA);
    cv::putText(canvas, "DR", cv::Point(ox + 6, oy + kTop + h / 2), font, 0.4, cv::Scalar(0, 0, 0),
                1, cv::LINE_AA);
    cv::putText(canvas, titles[p], cv::Point(ox + 10, oy + 18), font, 0.55, cv::Scalar(0, 0, 0), 1,
                cv::LINE_AA);
    for (size_t s = 0; s < series.size(); ++s) {
      if (p >= series[s].curves.size()) continue;
      const DetectionCurve& c = series[s].curves[p];
      std::vector<cv::Point> pts = {at(0, 0)};
      for (size_t i = 0; i < c.fppi.size() && c.fppi[i] <= max_fppi; ++i) {
        pts.push_back(at(c.fppi[i], pts.size() > 1 ? c.detection_rate[i > 0 ? i - 1 : 0] : 0));
        pts.push_back(at(c.fppi[i], c.detection_rate[i]));
      }
      pts.push_back(at(max_fppi, c.RateAtFppi(max_fppi)));
      cv::polylines(canvas, pts, false, kColours[s % 5], 2, cv::LINE_AA);
    }
    // Legend above the plot, under the title: each method with its rate at 0.4 FPPI.
    int lx = origin.x;
    for (size_t s = 0; s < series.size(); ++s) {
      if (p >= series[s].curves.size()) continue;
      const cv::Point l(lx, oy + 34);
      cv::line(canvas, l, l + cv::Point(14, 0), kColours[s % 5], 2, cv::LINE_AA);
      char label[64];
      std::snprintf(label, sizeof(label), "%s %.2f", series[s].label.c_str(),
                    series[s].curves[p].RateAtFppi(0.4));
      cv::putText(canvas, label, l + cv::Point(17, 4), font, 0.36, kColours[s % 5], 1, cv::LINE_AA);
      lx += 17 + cv::getTextSize(label, font, 0.36, 1, nullptr).width + 10;
    }
  }
  cv::putText(canvas, "detection rate (DR) vs false positives per image; legend: DR at 0.4 FPPI",
              cv::Point(8, canvas.rows - 6), font, 0.36, cv::Scalar(90, 90, 90), 1, cv::LINE_AA);
  return canvas;
}

}  // namespace msrf
