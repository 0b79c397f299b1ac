// Support of a placed model: how much of its drawn outline lies on image contours of its
// orientation, above chance.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"
#include "msrf/verify/verify_options.h"

namespace msrf {

// `support` in [0, 1]; `box`: the placed outline's bounding box.
struct Verification {
  double support = 0.0;
  cv::Rect2d box;
};

// How far the closed contour turns at point i, over three points either side, radians in
// [0, pi].
double TurningAngle(const std::vector<cv::Point2d>& points, int i);

// Support of a placed model: the fraction of its drawn points within the tolerance of a
// contour of their orientation, above what the clutter in its box gives by chance; a point
// counts 1 + curvature_weight x its turning angle in both.
Verification Verify(const ShapeModel& model, const std::vector<cv::Point2d>& placed,
                    double object_size, const OrientedContours& contours, const VerifyOptions& o);

}  // namespace msrf
