// Figure and ground: how much clutter lies just outside a placed outline.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/verify/oriented_contours.h"

namespace msrf {

// Of the pixels between `inner` and `outer` pixels outside the outline, the fraction on or
// next to a contour of any orientation. One distance transform over the outline's box.
double Surround(const std::vector<cv::Point2d>& outline, double inner, double outer,
                const OrientedContours& contours);

}  // namespace msrf
