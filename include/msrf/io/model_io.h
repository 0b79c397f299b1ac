// Shape model files. A model is given as
//   - a JSON file: either a polygon {"name": "...", "polygon": [[x, y], ...]} (closed,
//     implicitly) or a model written by `msrf model` ({"kind": "msrf.shape_model", ...});
//   - an image: a drawing of dark lines on white (like ETHZ's models/*.tif) or a mask (a
//     bright shape on black). `kind` picks one, or "auto" looks at the mean brightness.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <string_view>

#include "msrf/core/status.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

inline constexpr int kShapeModelSchemaVersion = 1;

enum class ModelImageKind { kAuto, kOutline, kMask };

// Loads a model from any of the forms above. Errors name `path` and the problem.
Result<ShapeModel> LoadShapeModel(const std::string& path, const ShapeModelOptions& options = {},
                                  ModelImageKind kind = ModelImageKind::kAuto);

// Parses JSON text (a file's bytes); `source` starts error messages. Never throws. A model
// written by ShapeModelToJson (points and drawn flags) keeps its own points, whatever
// options.num_points says; a bare polygon is resampled to options.num_points.
Result<ShapeModel> ShapeModelFromJson(std::string_view text, const std::string& source,
                                      const ShapeModelOptions& options = {});

// The model as written by `msrf model`. Points are rounded to 0.001 unless that would make a
// contour that ShapeModelFromJson refuses; then they keep all their digits. Either way the
// written model reads back.
std::string ShapeModelToJson(const ShapeModel& model);

// A picture of the model: the contour (drawn stretches solid, frame-closed ones thin red),
// the corners of each part level, and the centroid.
cv::Mat DrawShapeModel(const ShapeModel& model);

}  // namespace msrf
