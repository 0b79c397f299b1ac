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
#include "msrf/grouping/hypotheses.h"
#include "msrf/inference/icm.h"
#include "msrf/inference/mcmc.h"
#include "msrf/inference/relaxation.h"
#include "msrf/shape/mirror.h"
#include "msrf/shape/shape_model.h"
#include "msrf/verify/verify_options.h"

namespace msrf {

class LevelExecutor;

enum class SolverKind { kRelaxation, kMcmc, kIcm };
const char* SolverKindName(SolverKind kind);  // "relax", "mcmc", "icm"
Result<SolverKind> ParseSolverKind(const std::string& name);

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

}  // namespace msrf
