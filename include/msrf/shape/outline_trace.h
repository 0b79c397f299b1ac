// Sub-pixel outlines of masks: the iso-contour at half height of a lightly blurred mask,
// traced by marching squares with linear interpolation, then smoothed along its length
// (docs/models.md).
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// A region of a mask that is a shape of its own, not a speck beside the shape, when its area
// is at least this fraction of the largest region's. JPEG ringing and stray pixels leave
// specks far below it; a second object is far above it.
inline constexpr double kMaskSpeckFraction = 0.02;

// The closed iso-contours of `field` (one channel, CV_32F) at `level`, in pixels (pixel
// centres at integers), each a polygon with the values above `level` on its right on screen
// (outer outlines clockwise on screen, holes anticlockwise). Values of the frame must lie
// below `level`, so that every contour closes. Ambiguous cells (two diagonal corners above)
// are joined through the cell when its mean lies above `level`. Contours never cross or
// touch one another or themselves.
std::vector<std::vector<cv::Point2d>> TraceIsoContours(const cv::Mat& field, float level);

// The outer outline of the one shape in `mask` (one channel, any depth; inside = above half
// the mask's brightest value): the mask is blurred by a Gaussian of `sigma` pixels, its
// half-height contour traced and smoothed along its length by a Gaussian of 3 sigma (with the
// shrinking that smoothing causes undone), at points about a quarter pixel apart. Regions
// are counted on the mask and its blur together; the shape's pixels that the blur dims
// below one half (parts a pixel wide) are kept inside. Holes are ignored. Regions below
// kMaskSpeckFraction of the largest are dropped; a second larger region is refused ("the mask
// holds N separate shapes"), as are all-black masks and shapes of less than 16 pixels.
Result<std::vector<cv::Point2d>> TraceMaskOutline(const cv::Mat& mask, double sigma);

}  // namespace msrf
