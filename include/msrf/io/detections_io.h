// What `msrf detect` writes: the detections as JSON, an overlay PNG and an SVG.
//
// JSON (schema 1):
//   {"schema": 1, "kind": "msrf.detections", "msrf_version": "...",
//    "image": {"width": W, "height": H}, "model": {"name": ..., "num_points": N, ...},
//    "solver": "relax", "seed": 0,
//    "options": {...every option in effect, as `msrf detect --config` reads it...},
//    "detections": [{"model": name, "score": s, "coverage": c, "fit": f, "box": [x1, y1, x2, y2],
//                    "fragments": [ids], "model_arcs": [[start, end], ...],
//                    "transform": {"scale": k, "angle_deg": a, "tx": x, "ty": y},
//                    "hypothesis": h, "contours": [[[x, y], ...], ...]}],
//    "summary": {"fragments": n, "candidates": n, "hypotheses": n, "pruned_trees": n},
//    "timing": {...}}                                   // only when asked for
//
// With several models (DetectModels), "models": [{"name": ..., "num_points": N, ...,
// "summary": {...that model's...}}, ...] stands where "model" does, and "detections" holds
// every model's, best first across models (ties in the models' order); a model's own
// detections keep their order, so the entries of one "model" are what a run with that model
// alone lists.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/grouping/detect.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

inline constexpr int kDetectionsSchemaVersion = 1;

struct DetectionsJsonOptions {
  // Timings under "timing", as the CLI writes by default (--no-timing: off). Off, the output
  // is a function of the inputs alone and can be compared byte for byte.
  bool include_timing = true;
  int indent = -1;  // -1: compact, the smallest file; otherwise spaces per level (--pretty)
};

std::string DetectionsToJson(const Detections& result, const ShapeModel& model,
                             const DetectOptions& options, cv::Size image_size,
                             const DetectionsJsonOptions& json_options = {});

// The same for a pass with several models, `models` as given to DetectModels.
std::string DetectionsToJson(const MultiDetections& result, const std::vector<ShapeModel>& models,
                             const DetectOptions& options, cv::Size image_size,
                             const DetectionsJsonOptions& json_options = {});

// A detection of a pass with several models, and the index of its model.
struct RankedDetection {
  const Detection* detection;
  size_t model;
};
// Every model's detections, best first across models (ties in the models' order).
std::vector<RankedDetection> RankDetections(const MultiDetections& result);

// The image, dimmed, with each detection's grouped contour (thick), the fitted model (thin),
// its box and its score; the best detection in green, the others in amber.
cv::Mat DrawDetections(const cv::Mat& image, const Detections& result, const ShapeModel& model);
// The same for several models, each label naming its detection's model.
cv::Mat DrawDetections(const cv::Mat& image, const MultiDetections& result,
                       const std::vector<ShapeModel>& models);

// An SVG the size of the image: per detection a group with its contours as paths, its box
// and its score.
std::string DetectionsToSvg(const Detections& result, cv::Size image_size);
// The same for several models; each group carries data-model="NAME".
std::string DetectionsToSvg(const MultiDetections& result, const std::vector<ShapeModel>& models,
                            cv::Size image_size);

}  // namespace msrf
