// Contour fragments: pieces of edge chains between high-curvature points.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/dce.h"
#include "msrf/fragments/edge_linking.h"

namespace msrf {

struct Fragment {
  // Position in MultiscaleFragments::fragments; unique over all levels.
  int id = -1;
  int level = 0;
  // Id of the fragment at level + 1 this one runs along, or -1 (a root).
  int parent = -1;
  // The chain's pixels, in level-0 coordinates.
  std::vector<cv::Point2f> points;
  // Points at a constant arc-length step (FragmentOptions::resample_step level pixels), in
  // level-0 coordinates, first and last point included.
  std::vector<cv::Point2f> resampled;
  // Arc length in level-0 pixels.
  double length = 0.0;
  // Bounding box of `points`, level-0 coordinates.
  cv::Rect2f bbox;
  // A loop that had fewer than two corners and so was kept whole (its first point is
  // repeated at the end).
  bool closed = false;
};

// Not swept on a dataset; the notes say what each value trades.
struct FragmentOptions {
  // Corner detection: DCE runs on each chain with these options (lengths in level pixels).
  DceOptions dce;
  // A DCE vertex cuts the chain when the chain turns by at least this many degrees, in
  // [0, 180], measured between the points `corner_support` level pixels before and after it.
  // A smaller angle cuts at gentler bends (more, shorter fragments, each matching more arcs
  // by chance); a larger one leaves corners inside fragments, which must then match a model
  // arc around the same corner. Measured over a support of a few pixels rather than between
  // DCE neighbours, a turn that rasterising split over nearby vertices counts whole
  // (docs/fragments.md); a longer support would merge real corners closer than it.
  double cut_angle_deg = 40.0;
  double corner_support = 5.0;  // level pixels, in [1, 100]
  // Fragments shorter than this many level pixels are dropped, in [2, 10000]: most chains of
  // a cluttered image are shorter, and carry too little shape to match a model arc.
  double min_length = 10.0;
  // Step of the resampled points, in level pixels, in [0.25, 100]. Linking trees costs about
  // one lookup per resampled point; a smaller step costs more for a finer coverage count.
  double resample_step = 2.0;

  Status Validate() const;
};

// Cuts `chain` (level pixels) at its corners. `to_level0` maps a level pixel to level-0
// coordinates; `level_scale` is the level's size relative to level 0. Fragments get
// level = `level` and id = -1.
std::vector<Fragment> CutChain(const EdgeChain& chain, int level, double level_scale,
                               const cv::Matx23d& to_level0, const FragmentOptions& options);

// Points at a constant arc-length step along the polyline, ends included.
std::vector<cv::Point2f> ResamplePolyline(const std::vector<cv::Point2f>& polyline, double step);

// Length of a polyline.
double PolylineLength(const std::vector<cv::Point2f>& polyline);

}  // namespace msrf
