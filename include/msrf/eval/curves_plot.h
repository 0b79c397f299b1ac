// Detection-rate vs FPPI plots for people.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/eval/detection_curve.h"

namespace msrf {

struct PlotSeries {
  std::string label;                   // method name
  std::vector<DetectionCurve> curves;  // per panel
};

// One panel per title (classes, then "mean"), every series in each, axes (FPPI 0 to
// max_fppi, detection rate 0 to 1) and a legend labelled. `mean_panel`: the last title's
// curves are computed here as the mean over the other panels' detection rates.
cv::Mat DrawDetectionCurves(const std::vector<std::string>& titles,
                            const std::vector<PlotSeries>& series, double max_fppi = 1.5);

// The mean over curves of the detection rate at FPPI f, for f on a grid; returned as a curve.
DetectionCurve MeanCurve(const std::vector<DetectionCurve>& curves, double max_fppi = 1.5);

}  // namespace msrf
