// Contour grouping for a target shape: the main job.
//
//   msrf::Result<msrf::Detections> r = msrf::Detect(image, model, options);
//
// Pipeline (docs/grouping.md): multiscale fragments and their trees -> candidate
// correspondences (fragment f traces model arc a under transform T) -> hypotheses from the
// candidates' votes on object centre and scale -> per hypothesis, a multiscale field over
// the fragments with labels {background, agreeing candidates}, collapsed tree by tree with
// append and solved (relaxation labeling by default) -> the labelled fragments are the
// grouped contour, scored and boxed -> overlapping detections suppressed, sorted by score.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "msrf/core/box.h"
#include "msrf/core/status.h"
#include "msrf/field/append.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/grouping/candidates.h"
#include "msrf/inference/icm.h"
#include "msrf/inference/mcmc.h"
#include "msrf/inference/relaxation.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

class LevelExecutor;

enum class SolverKind { kRelaxation, kMcmc, kIcm };
const char* SolverKindName(SolverKind kind);  // "relax", "mcmc", "icm"
Result<SolverKind> ParseSolverKind(const std::string& name);

struct HypothesisOptions {
  // Vote bins: log-scale width, and spatial width as a fraction of the object size.
  double log_scale_bin = 0.2;
  double position_bin = 0.12;
  // Most hypotheses examined, in [1, 1000].
  int max_hypotheses = 20;
  // The strongest peak_pool x max_hypotheses bins that no neighbour beats are refined onto
  // the votes that agree with them (see the tolerances below) and ranked by those votes'
  // weight; the best max_hypotheses distinct ones are examined. In [1, 10].
  double peak_pool = 2.0;
  // A candidate agrees with a hypothesis when its implied centre lies within
  // centre_tolerance x object size and its scale within a factor exp(scale_tolerance).
  double centre_tolerance = 0.2;
  double scale_tolerance = 0.3;

  Status Validate() const;
};

struct PotentialOptions {
  // Labels per fragment in a hypothesis' field: background plus at most this many agreeing
  // candidates, in [1, 64].
  int max_labels = 4;
  // Fragments per hypothesis (those with the best agreeing candidates), in [1, 10000].
  int max_fragments = 80;
  // Unary of the background label; a candidate's unary is its quality x agreement, in [0, 1].
  double background_unary = 0.25;
  // Pairwise compatibility of background with anything, in [0, 1].
  double background_pairwise = 0.3;
  // Agreement of two candidates' transforms: centre distance (fraction of object size) and
  // log-scale difference at which it falls to exp(-1/2).
  double centre_sigma = 0.08;
  double scale_sigma = 0.12;

  Status Validate() const;
};

// Verification of a detection against the image: the placed model is refined onto the
// contours of the two finest levels, then scored by how much of it lies on contours of the
// same orientation.
struct VerifyOptions {
  // Rounds of refinement (0: keep the similarity fitted to the grouped fragments), in [0, 20].
  int refine_rounds = 4;
  // A model point pairs with the nearest contour pixel of similar orientation within this
  // many object sizes (first round; the radius shrinks to support_tolerance by the last), in
  // (0, 1].
  double search_radius = 0.1;
  // Largest stretch of the model along its own x against its y (the placement is the
  // similarity times diag(k, 1/k), k in [1/max_stretch, max_stretch]), in [1, 4]. 1: a
  // similarity.
  double max_stretch = 1.3;
  // A model point is supported when a contour of similar orientation lies within this many
  // object sizes, in (0, 1].
  double support_tolerance = 0.04;
  // A model point counts 1 + curvature_weight x the model's turning angle there (radians,
  // over three points either side) in the support and in its chance, in [0, 16] (0: all
  // points alike). Corners and bends lie on clutter by chance less often than straight
  // stretches, which any line in the image supports.
  double curvature_weight = 4.0;
  // Count only contours of about the model's orientation (8 bins of 22.5 degrees; a point
  // matches its own bin and the two beside it).
  bool oriented = true;
  // After the placement, a limb of the model (a neck with its head: an arc that a chord of at
  // most a quarter of the model's size cuts off and that reaches at least 0.35 sizes beyond
  // it; bottles, mugs and apple logos have none) turns about its chord's middle by the angle
  // whose drawn points find the most contours of their orientation nearby: 2 x
  // limb_turn_steps + 1 angles (in [1, 32]) over +-max_limb_turn_deg (0: off, in [0, 90]).
  // A giraffe raises or lowers its neck further than the warp below can follow.
  double max_limb_turn_deg = 20.0;
  int limb_turn_steps = 4;
  // Then the outline is warped onto the contours by a free-form deformation
  // (WarpOutline): a lattice of warp_grid x warp_grid cells over the model's box (0: off, in
  // [0, 16]) whose points move in the image, each outline point by the bilinear blend of its
  // cell's corners. Four rounds; a point pairs with the nearest contour pixel of its
  // orientation within warp_radius object sizes (first round, in (0, 1]; the radius shrinks
  // to support_tolerance). The moves are fitted by weighted least squares, pulled towards zero
  // by warp_ridge (in (0, 10]) and towards their lattice neighbours by warp_smooth (in
  // [0, 100]), both relative to the pairs' weight per lattice point, and bounded by max_warp
  // object sizes (in [0, 1]). Points near each other in the plane move together (both sides
  // of a neck), so a part may swing or widen as a whole, which the bend below cannot do.
  int warp_grid = 4;
  double warp_radius = 0.15;
  double warp_ridge = 0.02;
  double warp_smooth = 0.3;
  double max_warp = 0.3;
  // Then the outline bends onto the contours (DeformOutline): rounds (0: off,
  // in [0, 20]); a point pairs with a contour pixel within deform_radius object sizes, in
  // (0, 1]; the displacements are smoothed along the contour by a Gaussian of deform_sigma
  // model points, in (0, 64], pulled towards zero by deform_prior (0: not at all, in
  // [0, 10]) where pairs are few, and bounded by max_deform object sizes, in [0, 1].
  // Objects of a class bend (a giraffe's neck, a mug's handle); a bounded, smooth bend lets
  // the support count them without letting the outline wander onto clutter.
  int deform_rounds = 3;
  double deform_radius = 0.06;
  double deform_sigma = 8.0;
  double deform_prior = 0.2;
  double max_deform = 0.1;
  // Where the model's drawing was cut off by its frame (ShapeModel::drawn), the box follows
  // the image contours on from the drawing's ends up to this many object sizes, in [0, 1]
  // (0: the box is the outline's).
  double cut_extension = 0.3;
  // score = coverage x support x fit^fit_weight x (1 - surround)^surround_weight. fit_weight
  // in [0, 4]: the fit measures the grouped fragments against one rigid placement, which a
  // bent object misses by design; 0.5 keeps it from outweighing the support.
  double fit_weight = 0.5;
  // Figure and ground: an object's outline parts it from what lies around it, while an
  // outline laid over clutter, or over part of a larger object, has contours just outside it
  // too. `surround` is the fraction of the pixels in a band outside the outline, from
  // 2 x support_tolerance to surround_width object sizes away, that lie on or next to a
  // contour of any orientation. surround_width in (0, 1]; surround_weight in [0, 8] (0: off).
  double surround_width = 0.15;
  double surround_weight = 2.0;

  Status Validate() const;
};

struct DetectOptions {
  MultiscaleOptions fragments;
  CandidateOptions candidates;
  HypothesisOptions hypotheses;
  PotentialOptions potentials;
  VerifyOptions verify;
  AppendOptions append{24};
  SolverKind solver = SolverKind::kRelaxation;
  RelaxationOptions relaxation;
  McmcOptions mcmc;
  IcmOptions icm;
  // Most detections returned, in [1, 1000].
  int max_detections = 5;
  // Detections whose boxes overlap a better one by more than this IoU are dropped, in (0, 1].
  double nms_iou = 0.5;
  // Detections with at least this fraction of their box inside a better one's box are
  // dropped too, in [0, 1] (0: not at all): the model placed on a part of an object found
  // whole (a giraffe's neck) is not a second object. On the ETHZ dev half this removed about
  // a third of the giraffe false positives above 0.4 FPPI (mean detection rate 0.756 ->
  // 0.764); objects nested in objects of the same class are lost.
  double nms_inside = 0.9;
  // Detections below this score are dropped, in [0, 1].
  double min_score = 0.05;
  // Also search the model's mirror image (a swan facing the other way). Doubles the work
  // after the fragments. Off by default: on the ETHZ dev half it found few objects the
  // model missed and added false positives (mean detection rate at 0.4 FPPI 0.728 -> 0.691;
  // with the limb turn 0.781 -> 0.764).
  bool mirror = false;
  // Seeds MCMC (hypothesis h uses DeriveSeed(seed, h)).
  uint64_t seed = 0;

  Status Validate() const;
};

struct Detection {
  double score = 0.0;     // coverage x support x fit^fit_weight x (1 - surround)^surround_weight
                          // (VerifyOptions), in [0, 1]
  double coverage = 0.0;  // fraction of the model's drawn contour the group explains
  double fit = 0.0;       // exp(-(rms / object size / fit_sigma)^2) of the joint fit
  double support = 0.0;   // of the outline's drawn points, weighted by the model's curvature,
                          // the fraction near image contours of their orientation, above
                          // chance (VerifyOptions)
  double surround = 0.0;  // of the band just outside the outline, the fraction on or next to a
                          // contour (VerifyOptions::surround_width)
  cv::Rect2d box;         // the placed model's bounding box, image pixels
  // Model -> image: fitted to the grouped fragments, then refined onto the image contours
  // together with `stretch` (model point p lands at transform.Apply({stretch * p.x,
  // p.y / stretch}); stretch is 1 without refinement).
  Similarity transform;
  double stretch = 1.0;
  // The angle the model's limb turned by (VerifyOptions::max_limb_turn_deg), degrees,
  // clockwise on screen positive; 0 when the model has no limb or it kept the drawing's pose.
  double limb_turn_deg = 0.0;
  // The placed model contour after the limb's turn, the warp and the bounded bend, image
  // pixels, one point per model point.
  std::vector<cv::Point2d> outline;
  std::vector<int> fragments;        // grouped fragment ids, increasing
  std::vector<ModelArc> model_arcs;  // model_arcs[k] is what fragments[k] traces
  int hypothesis = -1;               // the hypothesis it came from
  bool mirrored = false;             // matched the model's mirror image (transform maps the mirror)
};

struct DetectTiming {
  double fragments_ms = 0.0;  // pyramid, edges, fragments and trees
  double candidates_ms = 0.0;
  double hypotheses_ms = 0.0;
  double append_ms = 0.0;     // building the fields and appending them (all hypotheses)
  double inference_ms = 0.0;  // all hypotheses
  double readout_ms =
      0.0;  // oriented contour maps, refinement, warp, bend, support (all hypotheses)
  double total_ms = 0.0;
};

struct DetectSummary {
  int num_fragments = 0;
  int num_candidates = 0;
  int num_hypotheses = 0;
  int num_pruned_trees = 0;  // trees whose appended label space was cut (all hypotheses)
  DetectTiming timing;
};

struct Detections {
  std::vector<Detection> detections;  // best first
  MultiscaleFragments fragments;      // what the detections refer to
  DetectSummary summary;
};

// `image`: 8-bit gray, BGR or BGRA. `edge_strength`: empty, or with
// options.fragments.edges.method == kSupplied, CV_32F in [0, 1] the size of the image.
// "No target found" is an empty detections list, not an error.
Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength = cv::Mat());

// The same, with the per-level work (edge maps, fragments, candidates) run by `executor`
// (msrf/grouping/level_work.h): in this process, or on edge nodes. The detections do not
// depend on the executor.
Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength,
                          LevelExecutor& executor);

// Where the model may lie: a peak of the candidates' votes, refined onto the votes that agree
// with it.
struct Hypothesis {
  cv::Point2d centre;      // the model's centroid in the image
  double log_scale = 0.0;  // log of the model -> image scale
  // Summed weight, quality x sqrt(arc fraction), of the votes that agreed with the peak in
  // the last refinement step.
  double weight = 0.0;
};

// The hypotheses Detect examines, strongest first: each candidate votes for the centre and
// scale it implies, and the peaks of the vote become at most options.max_hypotheses
// distinct hypotheses. `model_size`: the model's larger side, model units. `options` must
// pass HypothesisOptions::Validate.
std::vector<Hypothesis> FindHypotheses(const std::vector<Candidate>& candidates, double model_size,
                                       const HypothesisOptions& options);

// The model reflected left to right (x -> -x), as a model of its own.
Result<ShapeModel> MirrorModel(const ShapeModel& model);

}  // namespace msrf
