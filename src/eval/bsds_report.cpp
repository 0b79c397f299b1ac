// The BSDS benchmark written up: the table, summary.json and the P/R plot.
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "msrf/eval/bsds.h"

namespace msrf {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Paths may hold bytes that are not UTF-8; they are replaced rather than thrown on after the
// work is done.
std::string DumpBsdsJson(const OrderedJson& json) {
  return json.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

OrderedJson PointJson(const PrPoint& p, bool with_threshold) {
  OrderedJson j;
  if (with_threshold) j["threshold"] = p.threshold;
  j["recall"] = p.recall;
  j["precision"] = p.precision;
  j["f"] = p.f;
  return j;
}

}  // namespace

std::string BsdsTable(const BsdsSplit& split, const std::vector<BsdsMethodResult>& runs,
                      const BsdsOptions& options) {
  std::ostringstream table;
  char line[256];
  std::snprintf(line, sizeof(line),
                "BSDS500 %s, %zu images; %d thresholds, match within %.4g x the diagonal\n",
                split.split.c_str(), split.images.size(), options.thresholds,
                options.max_distance_ratio);
  table << line;
  std::snprintf(line, sizeof(line), "%-12s %6s %6s %6s %10s %10s\n", "method", "ODS", "OIS", "AP",
                "ODS at t", "s/image");
  table << line;
  for (const BsdsMethodResult& run : runs) {
    const double per_image = run.scores.images > 0 ? run.seconds / run.scores.images : 0.0;
    std::snprintf(line, sizeof(line), "%-12s %6.3f %6.3f %6.3f %10.3f %10.3f\n", run.name.c_str(),
                  run.scores.ods.f, run.scores.ois.f, run.scores.ap, run.scores.ods.threshold,
                  per_image);
    table << line;
  }
  return table.str();
}

std::string BsdsSummaryJson(const BsdsSplit& split, const std::vector<BsdsMethodResult>& runs,
                            const BsdsOptions& options) {
  OrderedJson summary;
  summary["schema"] = 1;
  summary["benchmark"] = "bsds500-boundaries";
  summary["root"] = split.root;
  summary["split"] = split.split;
  summary["images"] = split.images.size();
  summary["thresholds"] = options.thresholds;
  summary["max_distance_ratio"] = options.max_distance_ratio;
  summary["thinning"] = options.thin ? "zhang-suen" : "none";
  summary["matching"] = "maximum-cardinality";
  summary["methods"] = OrderedJson::array();
  for (const BsdsMethodResult& run : runs) {
    OrderedJson m;
    m["name"] = run.name;
    m["split"] = split.split;
    m["images"] = run.scores.images;
    m["max_distance_ratio"] = options.max_distance_ratio;
    m["ods"] = PointJson(run.scores.ods, true);
    m["ois"] = PointJson(run.scores.ois, false);
    m["ap"] = run.scores.ap;
    m["seconds"] = run.seconds;
    OrderedJson curve = OrderedJson::array();
    for (const PrPoint& p : run.scores.curve) curve.push_back(PointJson(p, true));
    m["curve"] = std::move(curve);
    summary["methods"].push_back(std::move(m));
  }
  return DumpBsdsJson(summary);
}

cv::Mat DrawPrCurves(const std::vector<BsdsMethodResult>& runs, const std::string& title) {
  static const cv::Scalar kColours[] = {
      {40, 40, 210}, {200, 90, 30}, {40, 160, 40}, {160, 40, 160}, {30, 150, 200}};
  constexpr int kSide = 480, kLeft = 64, kTop = 44, kRight = 40, kBottom = 52;
  cv::Mat canvas(kTop + kSide + kBottom, kLeft + kSide + kRight, CV_8UC3,
                 cv::Scalar(255, 255, 255));
  const auto font = cv::FONT_HERSHEY_SIMPLEX;
  const cv::Scalar black(0, 0, 0), grey(200, 200, 200);
  constexpr int kShift = 4;  // sub-pixel drawing: curves stay smooth
  auto at = [&](double recall, double precision) {
    return cv::Point(cvRound((kLeft + kSide * recall) * (1 << kShift)),
                     cvRound((kTop + kSide * (1.0 - precision)) * (1 << kShift)));
  };
  auto pixel = [&](double recall, double precision) {
    return cv::Point(kLeft + cvRound(kSide * recall), kTop + cvRound(kSide * (1.0 - precision)));
  };

  // Iso-F curves: P = F R / (2R - F), from R = F / (2 - F) (where P = 1) to R = 1.
  for (int k = 1; k <= 9; ++k) {
    const double f = k / 10.0;
    std::vector<cv::Point> pts;
    const double r0 = f / (2.0 - f);
    for (int s = 0; s <= 200; ++s) {
      const double r = r0 + (1.0 - r0) * s / 200.0;
      pts.push_back(at(r, f * r / (2.0 * r - f)));
    }
    cv::polylines(canvas, pts, false, grey, 1, cv::LINE_AA, kShift);
    char label[16];
    std::snprintf(label, sizeof(label), "F=%.1f", f);
    cv::putText(canvas, label, pixel(1.0, f / (2.0 - f)) + cv::Point(3, 4), font, 0.3,
                cv::Scalar(150, 150, 150), 1, cv::LINE_AA);
  }

  // Axes, ticks, labels.
  cv::rectangle(canvas, pixel(0, 1), pixel(1, 0), black, 1);
  for (int t = 0; t <= 10; ++t) {
    const double v = t / 10.0;
    char label[16];
    std::snprintf(label, sizeof(label), "%.1f", v);
    cv::line(canvas, pixel(v, 0), pixel(v, 0) + cv::Point(0, -4), black, 1);
    cv::line(canvas, pixel(0, v), pixel(0, v) + cv::Point(4, 0), black, 1);
    cv::putText(canvas, label, pixel(v, 0) + cv::Point(-9, 16), font, 0.35, black, 1, cv::LINE_AA);
    cv::putText(canvas, label, pixel(0, v) + cv::Point(-26, 4), font, 0.35, black, 1, cv::LINE_AA);
  }
  cv::putText(canvas, "recall", pixel(0.5, 0) + cv::Point(-20, 38), font, 0.45, black, 1,
              cv::LINE_AA);
  cv::putText(canvas, "precision", cv::Point(4, kTop - 10), font, 0.45, black, 1, cv::LINE_AA);
  cv::putText(canvas, title, cv::Point(kLeft + 70, 24), font, 0.5, black, 1, cv::LINE_AA);

  // Curves (thresholds with no detected pixel have no precision, so they are left out), each
  // with its ODS point.
  for (size_t m = 0; m < runs.size(); ++m) {
    const cv::Scalar colour = kColours[m % 5];
    const BsdsScores& s = runs[m].scores;
    std::vector<cv::Point> pts;
    for (const PrPoint& p : s.curve) {
      if (p.precision > 0.0 || p.recall > 0.0) pts.push_back(at(p.recall, p.precision));
    }
    if (pts.size() > 1) cv::polylines(canvas, pts, false, colour, 2, cv::LINE_AA, kShift);
    cv::circle(canvas, at(s.ods.recall, s.ods.precision), 5 << kShift, colour, cv::FILLED,
               cv::LINE_AA, kShift);
    cv::circle(canvas, at(s.ods.recall, s.ods.precision), 5 << kShift, black, 1, cv::LINE_AA,
               kShift);
  }

  // Legend in the lower left corner, on white: each method with its ODS.
  const int rows = static_cast<int>(runs.size());
  if (rows > 0) {
    int width = 0;
    std::vector<std::string> labels;
    for (const BsdsMethodResult& run : runs) {
      char label[96];
      std::snprintf(label, sizeof(label), "%s  ODS %.3f", run.name.c_str(), run.scores.ods.f);
      labels.emplace_back(label);
      width = std::max(width, cv::getTextSize(label, font, 0.42, 1, nullptr).width);
    }
    const cv::Point corner = pixel(0, 0) + cv::Point(10, -10 - 20 * rows);
    cv::rectangle(canvas, corner + cv::Point(-4, -4), corner + cv::Point(width + 34, 20 * rows + 2),
                  cv::Scalar(255, 255, 255), cv::FILLED);
    cv::rectangle(canvas, corner + cv::Point(-4, -4), corner + cv::Point(width + 34, 20 * rows + 2),
                  grey, 1);
    for (int m = 0; m < rows; ++m) {
      const cv::Scalar colour = kColours[m % 5];
      const cv::Point l = corner + cv::Point(0, 20 * m + 10);
      cv::line(canvas, l, l + cv::Point(18, 0), colour, 2, cv::LINE_AA);
      cv::putText(canvas, labels[static_cast<size_t>(m)], l + cv::Point(26, 5), font, 0.42, colour,
                  1, cv::LINE_AA);
    }
  }
  return canvas;
}

}  // namespace msrf
