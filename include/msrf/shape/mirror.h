// The mirror image of a shape model: a swan facing the other way.
#pragma once

#include "msrf/core/status.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

// The model reflected left to right (x -> -x), as a model of its own.
Result<ShapeModel> MirrorModel(const ShapeModel& model);

}  // namespace msrf
