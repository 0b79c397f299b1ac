// Fitting a placed outline onto the image's contours beyond a pose: a smooth bend along the
// contour (DeformOutline) and a free-form warp of the plane (WarpOutline).
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"
#include "msrf/verify/verify_options.h"

namespace msrf {

// Bends the placed outline onto the oriented contours: each drawn point pairs with the
// nearest contour pixel of its orientation within the search radius; the displacements are
// smoothed along the contour (a Gaussian of deform_sigma points, weighted by the pairs'
// Tukey weights, shrunk towards zero where pairs are few) and bounded by max_deform object
// sizes, so parts move as a whole and by little.
std::vector<cv::Point2d> DeformOutline(const ShapeModel& model,
                                       const std::vector<cv::Point2d>& base,
                                       const OrientedContours& contours, double size,
                                       const VerifyOptions& o);

// Warps the placed outline by a free-form deformation: a lattice of grid x grid cells over
// the model's box, each lattice point displaced in the image, the outline's points moved by
// the bilinear blend of their cell's corners. The displacements are fitted by weighted least
// squares to the nearest contour pixel of each drawn point's orientation (Tukey weights,
// radius shrinking round by round), with a ridge towards zero and a pull towards the
// neighbours, and capped, so that parts near each other in space (both sides of a neck)
// move together and a part may swing as a whole.
std::vector<cv::Point2d> WarpOutline(const ShapeModel& model, const std::vector<cv::Point2d>& base,
                                     const OrientedContours& contours, double size,
                                     const VerifyOptions& o);

}  // namespace msrf
