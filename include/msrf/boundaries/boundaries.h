// Soft boundary maps of a photo: how likely each pixel lies on an object boundary, and the
// boundary's orientation there.
//
//   msrf::BoundaryOptions options;                       // msrf's own detector
//   msrf::Result<msrf::BoundaryMap> map = msrf::DetectBoundaries(bgr_image, options);
//   cv::Mat thin = map->strength;                        // CV_32F in [0, 1], one pixel wide
//
// The pyramid's edge detectors (msrf/pyramid/edge_detector.h) turn such a map into the binary
// edges that contour fragments are linked from; the BSDS benchmark (msrf/eval/bsds.h) scores
// the maps themselves.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

struct Forest;  // msrf/boundaries/forest.h

enum class BoundaryMethod {
  kForest,    // msrf's own: a structured random forest learned on BSDS500 (docs/boundaries.md)
  kGradient,  // the magnitude of the Gaussian-smoothed brightness gradient (Canny's measure)
};

// "forest", "gradient".
const char* BoundaryMethodName(BoundaryMethod method);
// Parses a name as printed by BoundaryMethodName.
Result<BoundaryMethod> ParseBoundaryMethod(const std::string& name);

struct BoundaryMap {
  // Boundary strength, CV_32F in [0, 1], the image's size.
  cv::Mat strength;
  // The direction across the boundary (its normal), CV_32F, radians in [0, pi), the image's
  // size; meaningful where the strength is not 0.
  cv::Mat orientation;
};

struct BoundaryOptions {
  // The forest: what a person marks as a boundary, learned; brightness gradients fire on
  // texture and shading as much as on object outlines.
  BoundaryMethod method = BoundaryMethod::kForest;
  // Non-maximum suppression across the boundary, so that the map is one pixel wide (what
  // boundary benchmarks and edge linking expect). Off: the map as the detector gives it.
  bool thin = true;
  // kGradient: the Gaussian's standard deviation, in pixels, in [0.5, 8]. 2 pixels, the
  // scale of the usual Canny baseline on BSDS images (about 480 x 320): finer scales
  // respond to texture, coarser ones merge nearby boundaries.
  double gradient_sigma = 2.0;
  // kForest: the sizes, as factors of the photo's, the forest runs at, each in [0.25, 4], 1 to
  // 4 of them; their maps, resized back, are averaged. Half, full and double size, as Dollar
  // and Zitnick's multiscale detector: the smaller size sees more of the scene in a patch, the
  // larger one detail finer than a label patch. About 5 times the time of one run at full
  // size, for more of the boundaries people draw (docs/boundaries.md#figures); {1} is fast.
  // A size above 1 enlarges the photo to at most 16 megapixels.
  std::vector<double> forest_scales = {0.5, 1.0, 2.0};

  // OK, or an InvalidArgument error naming the first bad field.
  Status Validate() const;
};

// The boundary map of `image` (8-bit gray, BGR or BGRA; 16-bit images are scaled to 8 bits).
// An InvalidArgument error for an empty image or one of another type.
Result<BoundaryMap> DetectBoundaries(const cv::Mat& image, const BoundaryOptions& options = {});
// The same with `forest` in place of the one msrf ships (DefaultForest()) for kForest.
Result<BoundaryMap> DetectBoundaries(const cv::Mat& image, const BoundaryOptions& options,
                                     const Forest& forest);

// Non-maximum suppression: keeps a pixel's strength where it is at least that of both
// neighbours across the boundary (bilinearly interpolated at one pixel along `orientation`),
// and sets it to 0 elsewhere. Both maps CV_32F and of one size.
cv::Mat SuppressNonMaxima(const cv::Mat& strength, const cv::Mat& orientation);

// The orientation of a smooth strength map's ridges, from its second derivatives (the
// direction of strongest curvature, across a ridge), radians in [0, pi). `strength` CV_32F.
cv::Mat RidgeOrientation(const cv::Mat& strength);

}  // namespace msrf
