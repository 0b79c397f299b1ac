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

// The labels and potentials of a hypothesis' field. Every default was kept after a sweep that
// moved each option one step either way on the ETHZ dev half: no step gained on both sides
// beyond the noise of its 128 images (docs/grouping.md, "How far the defaults can be trusted").
struct PotentialOptions {
  // Labels per fragment in a hypothesis' field: background plus at most this many agreeing
  // candidates, in [1, 64]. 3 gives the same rates, 6 no better; each further label lengthens
  // every tree's appended label list (DetectOptions::append).
  int max_labels = 4;
  // Fragments per hypothesis (those with the best agreeing candidates), in [1, 10000]. 60 and
  // 120 give the same rates; the field, its append and its inference grow with it.
  int max_fragments = 80;
  // Unary of the background label; a candidate's unary is its quality x agreement, in [0, 1].
  // The gain 0.3 showed once did not hold at 0.275 or 0.325.
  double background_unary = 0.25;
  // Pairwise compatibility of background with anything, in [0, 1]: a fragment joins the group
  // when it agrees with the group better than this. The most sensitive of these options: 0.2
  // and 0.4 both lost clearly.
  double background_pairwise = 0.3;
  // Agreement of two candidates' transforms: centre distance (fraction of object size) and
  // log-scale difference at which it falls to exp(-1/2). Both neighbours of each lost.
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
  // A narrower beam than the library's 512 (AppendOptions). Detect builds and solves one
  // appended field per hypothesis, up to hypotheses.max_hypotheses per image and model, and
  // every appended edge holds an L_T x L_U block that each relaxation sweep reads: time and
  // memory grow with the product of neighbouring trees' label counts, at most 24 x 24 floats
  // per edge here against 512 x 512. Nodes have few labels (potentials.max_labels candidates
  // plus background: 5), so a node and one child have 10 labellings, a chain of three 15, and
  // only trees with two children or four levels exceed 24; the trees the beam cuts are
  // counted in DetectSummary::num_pruned_trees. Not swept on the ETHZ dev half: a wider beam
  // buys exactness in such trees with time and memory.
  AppendOptions append{24};
  // Relaxation labeling, the method paper's solver; MCMC is the paper's alternative, ICM a
  // baseline.
  SolverKind solver = SolverKind::kRelaxation;
  RelaxationOptions relaxation;
  McmcOptions mcmc;
  IcmOptions icm;
  // Most detections returned, in [1, 1000]. On the ETHZ dev half 3 lost and 6 or 8 gained
  // nothing (docs/grouping.md).
  int max_detections = 5;
  // Detections whose boxes overlap a better one by more than this IoU are dropped, in (0, 1].
  // 0.5, the PASCAL criterion's overlap: neither stricter (0.2-0.4) nor looser (0.6)
  // suppression did better on the ETHZ dev half.
  double nms_iou = 0.5;
  // Detections with at least this fraction of their box inside a better one's box are
  // dropped too, in [0, 1] (0: not at all): the model placed on a part of an object found
  // whole (a giraffe's neck) is not a second object. On the ETHZ dev half it removed giraffe
  // false positives and changed no other class, at any threshold from 0.5 to 0.95
  // (docs/grouping.md); objects nested in objects of the same class are lost.
  double nms_inside = 0.9;
  // ... and, when this is above 0, at least this share of its grouped contour lies on the
  // better one's (within 2% of its size), in [0, 1]: a part of an object found whole was
  // grouped from the same contours, while a second object inside a larger detection's box (a
  // small mug beside a big one) has contours of its own. Off by default: on the ETHZ dev half
  // 0.5 and 0.25 kept more false detections inside true ones than they found objects
  // (docs/grouping.md, "Objects inside a bigger detection's box").
  double nms_inside_shared = 0.0;
  // Detections below this score are dropped, in [0, 1]. Low, as the ranking by score decides
  // what is reported at a given false-positive rate: this floor only drops groups the image
  // barely supports, and a higher one would lose weak true detections. Not swept.
  double min_score = 0.05;
  // Also search the model's mirror image (a swan facing the other way). Doubles the work
  // after the fragments. Off by default: each time it was measured on the ETHZ dev half it
  // found few objects the model missed and added more false positives (docs/grouping.md).
  bool mirror = false;
  // The model is also searched stretched by diag(k, 1/k) for each k here (1: as drawn; k > 1
  // wider and lower), each k in [0.25, 4], 1 to 8 of them: objects are seen wider or slimmer
  // than drawn (a mug from above, a bottle of another brand), and a similarity's votes for
  // such an object scatter. Each stretch gets its own candidates and hypotheses, like the
  // mirror image, and the refined pose stretches it by up to verify.max_stretch more; the
  // score's prior (verify.stretch_sigma) weighs the whole stretch. The default, 1.15 either
  // way (about the square root of max_stretch), leaves every stretch up to 1.5 within reach
  // of a refinement that starts at most half its range away; {1 / 1.3, 1, 1.3} reaches
  // further and fits objects of other classes more often. On the ETHZ dev half (mean DR at
  // 0.3 / 0.4 FPPI) the default gained on both halves with the Berkeley maps (.787 / .811 ->
  // .843 / .867) and at 0.3 with msrf's own boundaries (.761 / .810 -> .808 / .808); 3 x the
  // work after the fragments (docs/grouping.md, "Stretched models"). {1}: the drawing only.
  std::vector<double> stretches = {1.0 / 1.15, 1.0, 1.15};
  // Seeds MCMC (hypothesis h uses DeriveSeed(seed, h)). Any fixed value makes runs repeat;
  // 0 is also the CLI's default.
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
  // p.y / stretch})). The stretch is the whole one: the stretched model's that found it
  // (DetectOptions::stretches) times the refinement's; 1 for the drawn model unrefined.
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

// One model's share of a pass over an image with several models (DetectModels).
struct ModelDetections {
  std::vector<Detection> detections;  // best first
  // This model's candidates, hypotheses and pruned trees, and the time of its hypotheses'
  // stages (hypotheses_ms to readout_ms, summed over them); the fragments, their number, the
  // candidates' time and the total are the pass's, shared by every model.
  DetectSummary summary;
};

struct MultiDetections {
  std::vector<ModelDetections> models;  // as the models given
  MultiscaleFragments fragments;        // what every model's detections refer to
  // The pass: the fragments once, the counts and times of the models summed.
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

// Several target shapes in one pass over the image: the pyramid, edge maps, fragments, trees
// and contours are found once and shared; candidates are found per model in the same level
// jobs, and the hypotheses of every model are examined together, in parallel. Per model, the
// detections equal those of Detect with that model alone (the hypotheses are numbered, and
// MCMC seeded, per model). Models with the same name are allowed; the caller tells them apart
// by position.
Result<MultiDetections> DetectModels(const cv::Mat& image, const std::vector<ShapeModel>& models,
                                     const DetectOptions& options,
                                     const cv::Mat& edge_strength = cv::Mat());
Result<MultiDetections> DetectModels(const cv::Mat& image, const std::vector<ShapeModel>& models,
                                     const DetectOptions& options, const cv::Mat& edge_strength,
                                     LevelExecutor& executor);

}  // namespace msrf
