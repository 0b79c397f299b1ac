// Pictures for people: fragments drawn over the image.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/multiscale_fragments.h"

namespace msrf {

// The colour (BGR) used for pyramid level `level` in overlays.
cv::Scalar LevelColour(int level);

// The image, dimmed and in gray, with every fragment drawn as a polyline coloured by its
// level (finer levels on top, coarser ones wider), a white dot on the midpoint of every
// fragment that has a parent, a white line from it to the nearest point of the parent,
// and a legend of the levels.
cv::Mat DrawFragmentsOverlay(const cv::Mat& image, const MultiscaleFragments& fragments);

// A canvas to draw on: the image in gray, dimmed to `brightness` (0-1), as BGR, scaled by
// OverlayScale(image).
cv::Mat DimmedCanvas(const cv::Mat& image, double brightness);
// Overlays of small images are drawn at twice their size so that thin lines stay readable.
double OverlayScale(const cv::Mat& image);

// PNG bytes of `image`.
Result<std::string> EncodePng(const cv::Mat& image);

}  // namespace msrf
