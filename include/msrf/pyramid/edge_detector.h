// Edge maps per pyramid level, behind one interface.
//
// Every detector returns a binary, one-pixel-wide edge map (CV_8U, 255 on edges) the size of
// the level, ready for edge linking.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/pyramid/pyramid.h"

namespace msrf {

enum class EdgeMethod {
  kForest,       // msrf's boundary forest on the photo (msrf/boundaries/forest.h; default)
  kCanny,        // Canny with thresholds chosen from the gradient histogram
  kEdgeDrawing,  // OpenCV ximgproc EdgeDrawing (Topal & Akinlar)
  kSupplied,     // an edge-strength map given by the caller (e.g. Berkeley Pb maps)
};

// "forest", "canny", "edgedrawing", "supplied".
const char* EdgeMethodName(EdgeMethod method);
// Parses a name as printed by EdgeMethodName.
Result<EdgeMethod> ParseEdgeMethod(const std::string& name);

// Whether levels carry a strength map (ImageLevel::edge_strength) that the method's edges
// are found in: the supplied map, or the forest's, computed once on the whole image and
// carried down the pyramid the same way.
bool UsesStrengthMap(EdgeMethod method);

// The notes say what each value trades and where it comes from.
struct EdgeOptions {
  // The forest: it marks what people mark as object boundaries, where Canny marks every
  // brightness step, texture and shading included (docs/boundaries.md has the figures). It
  // needs nothing but the photo, and can be tiled (EdgeDrawing cannot).
  EdgeMethod method = EdgeMethod::kForest;

  // Canny: the fraction of pixels whose gradient magnitude lies below the high threshold,
  // in (0, 1): the automatic rule of MATLAB's edge(), so the threshold follows the image's
  // contrast. 0.8 keeps the strongest 20% of gradients as edge seeds; a lower fraction seeds
  // more clutter, a higher one loses faint contours that hysteresis cannot reach.
  double canny_non_edge_fraction = 0.8;
  // Canny: low threshold as a fraction of the high one, in (0, 1). Lower extends seeds further
  // along faint contours, and into clutter.
  double canny_low_ratio = 0.4;
  // Canny: the high threshold on the L2 gradient magnitude (Sobel 3x3 units), >= 0. 0 means
  // automatic, from `canny_non_edge_fraction` and the level's gradients. Tiles of one level
  // share the value computed once for the whole level (CannyHighThreshold), so that every
  // tile keeps the pixels the whole level would.
  double canny_high_threshold = 0.0;

  // EdgeDrawing: gradient threshold (0-255 scale) and minimum path length in pixels. A higher
  // threshold drops faint edges with the noise; the path length is the fragments' minimum
  // (FragmentOptions::min_length), below which most paths would be dropped anyway.
  int edge_drawing_gradient_threshold = 24;
  int edge_drawing_min_path_length = 10;

  // Supplied edge maps: hysteresis thresholds on the strength, in (0, 1], low <= high.
  // Pixels above `supplied_high` seed edges; connected pixels above `supplied_low` join them.
  // Constants: max pooling down the pyramid keeps a one-pixel edge's strength, so one pair
  // serves every level (docs/fragments.md). The ETHZ figures use these values.
  double supplied_high = 0.15;
  double supplied_low = 0.06;

  // The forest's map: hysteresis thresholds, in (0, 1], low <= high. The low one is the
  // threshold at which the forest's map scores its best F on BSDS500 val (ODS, `msrf bench
  // bsds`: 0.05), the high one 2.5 times it, the ratio of the supplied maps' pair. On the
  // ETHZ dev half (`msrf bench ethz --edges auto`) they gave .827 / .860 at 0.3 / 0.4 FPPI
  // against .808 / .808 with the supplied maps' pair, both halves gaining
  // (docs/boundaries.md, "In the pipeline").
  double forest_high = 0.125;
  double forest_low = 0.05;
  // The sizes, as factors of the photo's, the forest runs at (BoundaryOptions::forest_scales):
  // at half, full and double size, as Dollar and Zitnick's multiscale detector. Against one
  // run at full size it costs about 5 times the forest's time and finds more of the
  // boundaries people draw (docs/boundaries.md#figures); {1} is the fast choice.
  std::vector<double> forest_scales = {0.5, 1.0, 2.0};

  Status Validate() const;
};

// OK when `scales` is a valid EdgeOptions::forest_scales (BoundaryOptions::forest_scales):
// 1 to 4 factors, each in [0.25, 4]; errors name the list `name`.
Status CheckForestScales(std::string_view name, const std::vector<double>& scales);

class EdgeDetector {
 public:
  virtual ~EdgeDetector() = default;

  // Binary thinned edge map of `level` (CV_8U, 0 or 255, the size of level.image).
  virtual Result<cv::Mat> Detect(const ImageLevel& level) const = 0;
  virtual EdgeMethod method() const = 0;

  // The detector the options ask for; an error when the options are invalid.
  static Result<std::unique_ptr<EdgeDetector>> Create(const EdgeOptions& options);
};

// The automatic Canny high threshold of an 8-bit level image: the gradient magnitude below
// which options.canny_non_edge_fraction of the pixels lie, floored at a tenth of the largest
// magnitude. options.canny_high_threshold when that is set (> 0).
double CannyHighThreshold(const cv::Mat& image, const EdgeOptions& options);

// The pixel-local half of an edge detector, before hysteresis joins pixels into edges:
// `candidates` may be edges (Canny: local maxima above the low threshold; supplied: strength
// >= supplied_low), `seeds` certainly are (above the high threshold), a subset of
// candidates. Both CV_8U, 0 or 255, the size of the level image. Every pixel depends only on
// its neighbours within EdgeCandidateReach() pixels, so a crop with that much margin gives
// the whole level's values in its interior. Canny needs options.canny_high_threshold set.
struct EdgeCandidates {
  cv::Mat candidates;
  cv::Mat seeds;
};
Result<EdgeCandidates> DetectEdgeCandidates(const ImageLevel& level, const EdgeOptions& options);

// How far (pixels) a candidate or seed looks: 2 for Canny (Sobel, then non-maximum
// suppression), 0 for methods with a strength map (UsesStrengthMap). EdgeDrawing has no candidate
// stage (its paths are grown across the image) and gives -1.
int EdgeCandidateReach(EdgeMethod method);

// Hysteresis: the candidates 8-connected to a seed (CV_8U, 0 or 255). Together with
// DetectEdgeCandidates and ThinEdges it gives what EdgeDetector::Detect gives.
cv::Mat HysteresisEdges(const cv::Mat& candidates, const cv::Mat& seeds);

// Thins a binary map (non-zero = edge) to one-pixel-wide curves (Zhang-Suen). Returns a new
// CV_8U map with 255 on the skeleton.
cv::Mat ThinEdges(const cv::Mat& binary);

// Converts a user-supplied edge map to strength in [0, 1] (CV_32F): 8-bit maps are divided by
// 255, 16-bit ones by 65535, floating-point ones are clipped; colour maps are made gray.
// Brighter means a stronger edge. An error for an empty map or one with NaN values.
Result<cv::Mat> EdgeStrengthFromMap(const cv::Mat& edge_map);

}  // namespace msrf
