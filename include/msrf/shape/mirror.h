// Variants of a shape model searched beside it: its mirror image (a swan facing the other
// way) and the model stretched (a mug wider than the drawn one).
#pragma once

#include "msrf/core/status.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

// The model reflected left to right (x -> -x), as a model of its own.
Result<ShapeModel> MirrorModel(const ShapeModel& model);

// The model stretched by diag(k, 1/k) about its origin (k > 0; k > 1 makes it wider), point
// for point: point i of the result is point i of `model` stretched, with its drawn flag, so
// that arcs and outlines of the two index the same points. k = 1 gives the model unchanged.
Result<ShapeModel> StretchModel(const ShapeModel& model, double k);

}  // namespace msrf
