// Candidate correspondences: "image fragment f traces model arc a", each with the similarity
// transform it implies and how well the two curves fit under it.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/similarity.h"
#include "msrf/core/status.h"
#include "msrf/fragments/fragment.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

// The least-squares similarity taking `from` onto `to` (same size, >= 2 points), and the
// root-mean-square residual. Umeyama / complex Procrustes; no reflection.
Similarity FitSimilarity(const std::vector<cv::Point2d>& from, const std::vector<cv::Point2d>& to,
                         double* rms = nullptr);

// min_quality, max_per_fragment and min_fragment_length were kept after a sweep that moved
// each option one step either way on the ETHZ dev half (docs/grouping.md, "How far the
// defaults can be trusted"); the arc lengths were measured on their own (docs/grouping.md,
// "Candidates"). The other values were set with the first detector and not swept.
struct CandidateOptions {
  // Points per curve when a fragment and an arc are compared, in [4, 64]. Every fit costs
  // time linear in it; fewer points see less of a curve's shape.
  int samples = 12;
  // Arc starts every this many model points, in [1, num_points]. With 128 model points, up
  // to 32 starts x 7 lengths x 2 directions are compared with every fragment; a smaller step
  // multiplies that work, a larger one leaves a fragment's true start further (up to half a
  // step) from the nearest arc's.
  int arc_start_step = 4;
  // Arc lengths, as fractions of the model's perimeter, each in (0, 1). A fragment matches
  // an arc only when their lengths agree with the fitted scale (within 25%), so the longest
  // arc bounds how much of the outline one fragment may trace: 0.8 lets a clean outline found
  // in one piece (an apple logo without its leaf) vote.
  std::vector<double> arc_fractions = {0.06, 0.1, 0.15, 0.22, 0.3, 0.4, 0.8};
  // Largest rotation of the model in the image, degrees, in [0, 180]. ETHZ objects are
  // upright; a wider range lets more clutter fit by chance.
  double max_rotation_deg = 20.0;
  // Object sizes (the model's larger side in the image), pixels. max 0: the image's larger
  // side, so only the image bounds the size. A smaller minimum admits tiny placements that
  // short clutter fragments fit easily; a larger one misses small objects.
  double min_object_size = 24.0;
  double max_object_size = 0.0;
  // Fit quality q = exp(-(rms / length / fit_sigma)^2) in (0, 1]; candidates below
  // min_quality are dropped. fit_sigma sets the scale: q = exp(-1) at an rms of 5% of the
  // length. min_quality 0.2 and 0.4 both lost.
  double fit_sigma = 0.05;
  double min_quality = 0.3;
  // Most candidates kept per fragment (the best fits), in [1, 256]. The low end of the 10-20
  // the method suggests; 6 and 15 both lost.
  int max_per_fragment = 10;
  // Fragments shorter than this (level-0 pixels) get no candidates, in [2, 10000]. 8 and 16
  // give the same rates; shorter fragments are many in clutter and fit arcs by chance.
  double min_fragment_length = 12.0;

  Status Validate() const;
};

struct Candidate {
  int fragment = -1;          // fragment id
  ModelArc arc;               // model points arc.start .. arc.end, walked forwards
  bool reversed = false;      // the fragment runs from arc.end to arc.start
  Similarity transform;       // model -> image
  double quality = 0.0;       // fit, in (0, 1]
  cv::Point2d centre;         // the model's centroid under `transform`
  double arc_fraction = 0.0;  // arc length / perimeter
};

// Candidates of every fragment, ordered by fragment id, then quality (best first).
// `image_size` bounds the object size when max_object_size is 0.
std::vector<Candidate> FindCandidates(const std::vector<Fragment>& fragments,
                                      const ShapeModel& model, cv::Size image_size,
                                      const CandidateOptions& options);

// `samples` points of the model arc, evenly spaced by arc length (model coordinates).
std::vector<cv::Point2d> SampleArc(const ShapeModel& model, const ModelArc& arc, int samples);

// `samples` points evenly spaced along a polyline.
std::vector<cv::Point2d> SamplePolyline(const std::vector<cv::Point2f>& polyline, int samples);

// Model points an arc covers (indices mod num_points, start to end inclusive).
int ArcPointCount(const ModelArc& arc, int num_points);

}  // namespace msrf
