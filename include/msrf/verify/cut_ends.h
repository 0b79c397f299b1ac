// Where the model's drawing was cut off by its frame, the object goes on in the image.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"

namespace msrf {

// Where the drawing was cut off by its frame (drawn = 0), the object goes on past the
// drawing's ends: each end is followed along the image contours of its direction, up to
// `limit` pixels, and what is traced joins the box.
std::vector<cv::Point2d> TraceCutEnds(const ShapeModel& model,
                                      const std::vector<cv::Point2d>& outline,
                                      const OrientedContours& contours, double tolerance,
                                      double limit);

}  // namespace msrf
