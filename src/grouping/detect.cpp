#include "msrf/grouping/detect.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "msrf/core/check.h"
#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/fragments/trees.h"
#include "msrf/grouping/group_fit.h"
#include "msrf/grouping/hypothesis_field.h"
#include "msrf/grouping/level_work.h"
#include "msrf/verify/cut_ends.h"
#include "msrf/verify/limb.h"
#include "msrf/verify/oriented_contours.h"
#include "msrf/verify/outline_fit.h"
#include "msrf/verify/pose.h"
#include "msrf/verify/support.h"
#include "msrf/verify/surround.h"

namespace msrf {

const char* SolverKindName(SolverKind kind) {
  switch (kind) {
    case SolverKind::kRelaxation: return "relax";
    case SolverKind::kMcmc: return "mcmc";
    case SolverKind::kIcm: return "icm";
  }
  return "unknown";
}

Result<SolverKind> ParseSolverKind(const std::string& name) {
  for (SolverKind k : {SolverKind::kRelaxation, SolverKind::kMcmc, SolverKind::kIcm}) {
    if (name == SolverKindName(k)) return k;
  }
  return InvalidArgumentError("unknown solver '" + name + "' (expected relax, mcmc or icm)");
}

Status PotentialOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("potentials.max_labels", max_labels, 1, 64));
  MSRF_RETURN_IF_ERROR(CheckRange("potentials.max_fragments", max_fragments, 1, 10000));
  MSRF_RETURN_IF_ERROR(CheckRange("potentials.background_unary", background_unary, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("potentials.background_pairwise", background_pairwise, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("potentials.centre_sigma", centre_sigma));
  return CheckFinitePositive("potentials.scale_sigma", scale_sigma);
}

Status DetectOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(fragments.Validate());
  MSRF_RETURN_IF_ERROR(candidates.Validate());
  MSRF_RETURN_IF_ERROR(hypotheses.Validate());
  MSRF_RETURN_IF_ERROR(potentials.Validate());
  MSRF_RETURN_IF_ERROR(verify.Validate());
  MSRF_RETURN_IF_ERROR(append.Validate());
  MSRF_RETURN_IF_ERROR(relaxation.Validate());
  MSRF_RETURN_IF_ERROR(mcmc.Validate());
  MSRF_RETURN_IF_ERROR(icm.Validate());
  MSRF_RETURN_IF_ERROR(CheckRange("detect.max_detections", max_detections, 1, 1000));
  MSRF_RETURN_IF_ERROR(
      CheckRange("detect.nms_iou", nms_iou, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("detect.nms_inside", nms_inside, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("detect.nms_inside_shared", nms_inside_shared, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("detect.min_score", min_score, 0.0, 1.0));
  return CheckList("detect.stretches", stretches, 1, 8, 0.25, 4.0);
}

namespace {

struct HypothesisResult {
  bool found = false;
  Detection detection;
  int pruned_trees = 0;
  double append_ms = 0, inference_ms = 0, readout_ms = 0;
  Status status;
};

// What every hypothesis of one model (or its mirror image) shares.
struct HypothesisContext {
  const std::vector<Candidate>& candidates;
  const MultiscaleFragments& fragments;
  const FragmentForest& forest;
  const OrientedContours& contours;
  const ShapeModel& model;
  const Limb& limb;
  double model_size;
  const DetectOptions& options;
  double stretch;  // the model's stretch (DetectOptions::stretches)
};

// Build field: the hypothesis' random field over its kept fragments, appended tree by tree.
Result<AppendedField> BuildHypothesisField(const HypothesisContext& ctx, double size,
                                           HypothesisField* hf) {
  MSRF_RETURN_IF_ERROR(BuildField(ctx.fragments.fragments, ctx.forest,
                                  static_cast<int>(ctx.model.points.size()), size,
                                  ctx.options.potentials, hf));
  return Append(hf->field, ctx.options.append);
}

// Verify, first half: the pose fitted to the group refined onto the oriented contours, the
// limb turned, the outline warped and bent onto them.
void FitOutline(const HypothesisContext& ctx, Detection& d) {
  const ShapeModel& model = ctx.model;
  const OrientedContours& contours = ctx.contours;
  const double model_size = ctx.model_size;
  const DetectOptions& o = ctx.options;
  ModelPose pose{d.transform, 1.0};
  const double max_angle = o.candidates.max_rotation_deg * CV_PI / 180.0;
  pose = RefinePose(model, pose, contours, model_size, max_angle, o.verify);
  d.transform = pose.similarity;
  d.stretch = pose.stretch;
  const double turn = BestLimbTurn(model, ctx.limb, PlaceModel(model, pose), contours,
                                   d.transform.scale * model_size, o.verify);
  const std::vector<cv::Point2d> articulated = TurnLimb(PlaceModel(model, pose), ctx.limb, turn);
  d.limb_turn_deg = turn * 180.0 / CV_PI;
  d.outline = DeformOutline(
      model, WarpOutline(model, articulated, contours, d.transform.scale * model_size, o.verify),
      contours, d.transform.scale * model_size, o.verify);
}

// Verify, second half: the support of the outline, the box grown along cut ends, the
// surround, and the score.
void ScoreOutline(const HypothesisContext& ctx, Detection& d) {
  const ShapeModel& model = ctx.model;
  const OrientedContours& contours = ctx.contours;
  const double model_size = ctx.model_size;
  const DetectOptions& o = ctx.options;
  const Verification v =
      Verify(model, d.outline, d.transform.scale * model_size, contours, o.verify);
  d.box = v.box;
  d.support = v.support;
  const double placed_size = d.transform.scale * model_size;
  for (const cv::Point2d& p : TraceCutEnds(model, d.outline, contours,
                                           std::max(2.0, o.verify.support_tolerance * placed_size),
                                           o.verify.cut_extension * placed_size)) {
    const double x0 = std::min(d.box.x, p.x), y0 = std::min(d.box.y, p.y);
    const double x1 = std::max(d.box.br().x, p.x), y1 = std::max(d.box.br().y, p.y);
    d.box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
  }
  // The score before the surround's factor, which is at most 1: when that already falls
  // below min_score, the detection is dropped whatever its surround, and the surround (a
  // distance transform around the outline, the costliest part of scoring) is not measured.
  double prior = 1.0;
  if (o.verify.stretch_sigma > 0) {
    const double z = std::log(d.stretch) / o.verify.stretch_sigma;
    prior = std::exp(-0.5 * z * z);
  }
  const double bound = d.coverage * d.support * std::pow(d.fit, o.verify.fit_weight) * prior;
  if (o.verify.surround_weight > 0 && bound >= o.min_score) {
    const double inner = 2.0 * std::max(2.0, o.verify.support_tolerance * placed_size);
    d.surround = Surround(d.outline, inner,
                          std::max(inner + 1.0, o.verify.surround_width * placed_size), contours);
  }
  d.score = d.coverage * d.support * std::pow(d.fit, o.verify.fit_weight) *
            std::pow(1.0 - d.surround, o.verify.surround_weight);
  d.score *= prior;
}

// The share of `inner`'s grouped contour (its fragments' resampled points) that lies on
// `outer`'s: within 2% of inner's size (at least 2 pixels) of one of outer's fragment points.
double SharedContour(const Detection& inner, const Detection& outer,
                     const std::vector<Fragment>& fragments) {
  std::vector<cv::Point2f> on_outer;
  for (int f : outer.fragments) {
    const auto& r = fragments[static_cast<size_t>(f)].resampled;
    on_outer.insert(on_outer.end(), r.begin(), r.end());
  }
  const double tolerance = std::max(2.0, 0.02 * std::max(inner.box.width, inner.box.height));
  const auto t2 = static_cast<float>(tolerance * tolerance);
  size_t total = 0, shared = 0;
  for (int f : inner.fragments) {
    for (const cv::Point2f& p : fragments[static_cast<size_t>(f)].resampled) {
      ++total;
      for (const cv::Point2f& q : on_outer) {
        const cv::Point2f d = p - q;
        if (d.dot(d) <= t2) {
          ++shared;
          break;
        }
      }
    }
  }
  return total == 0 ? 1.0 : static_cast<double>(shared) / static_cast<double>(total);
}

HypothesisResult RunHypothesis(const HypothesisContext& ctx, int index, const Hypothesis& h) {
  HypothesisResult result;
  Stopwatch watch;
  const double size = ctx.model_size * std::exp(h.log_scale);
  HypothesisField hf =
      SelectLabels(ctx.candidates, h, size, ctx.options.hypotheses, ctx.options.potentials);
  if (hf.kept.empty()) return result;
  Result<AppendedField> appended = BuildHypothesisField(ctx, size, &hf);
  if (!appended.ok()) {
    result.status = appended.status();
    return result;
  }
  result.pruned_trees = appended->summary.num_pruned_trees;
  result.append_ms = watch.LapMilliseconds();

  Result<std::vector<int>> states = SolveField(*appended, ctx.options, index);
  if (!states.ok()) {
    result.status = states.status();
    return result;
  }
  result.inference_ms = watch.LapMilliseconds();

  // Read-out: the fragments labelled with a model arc form the group; the model is fitted to
  // it, then verified against the image.
  Detection& d = result.detection;
  d.hypothesis = index;
  Group group =
      ReadGroup(hf, *states, ctx.fragments.fragments, ctx.model, ctx.options.candidates.samples);
  d.fragments = std::move(group.fragments);
  d.model_arcs = std::move(group.model_arcs);
  if (!d.fragments.empty()) {
    const GroupFit fit =
        FitGroup(ctx.model, group, ctx.model_size, ctx.options.candidates.fit_sigma);
    d.transform = fit.transform;
    d.fit = fit.fit;
    d.coverage = fit.coverage;
    // Every other factor of the score is at most 1: a group whose coverage and fit alone fall
    // below min_score is dropped whatever the image says, without placing and verifying it.
    if (d.coverage * std::pow(d.fit, ctx.options.verify.fit_weight) < ctx.options.min_score) {
      result.readout_ms = watch.Milliseconds();
      return result;
    }
    FitOutline(ctx, d);
    d.stretch *= ctx.stretch;  // the stretched model's, about the same origin as the pose's
    ScoreOutline(ctx, d);
    result.found = true;
  }
  result.readout_ms = watch.Milliseconds();
  return result;
}

// A model's variants: itself, its mirror image when asked for, and each of them stretched;
// every variant gets its own candidates and hypotheses, and their detections compete in one
// list.
struct ModelVariants {
  std::vector<ShapeModel> models;
  std::vector<bool> mirrored;
  std::vector<double> stretch;
};

Result<ModelVariants> MakeVariants(const ShapeModel& model, const DetectOptions& options) {
  std::vector<ShapeModel> bases = {model};
  if (options.mirror) {
    MSRF_ASSIGN_OR_RETURN(ShapeModel mirrored, MirrorModel(model));
    bases.push_back(std::move(mirrored));
  }
  ModelVariants out;
  for (size_t b = 0; b < bases.size(); ++b) {
    for (double k : options.stretches) {
      MSRF_ASSIGN_OR_RETURN(ShapeModel stretched, StretchModel(bases[b], k));
      out.models.push_back(std::move(stretched));
      out.mirrored.push_back(b == 1);
      out.stretch.push_back(k);
    }
  }
  return out;
}

// The best of `found` (sorted here), overlapping ones suppressed, at most max_detections.
std::vector<Detection> SuppressOverlaps(std::vector<Detection> found, const DetectOptions& options,
                                        const std::vector<Fragment>& fragments) {
  std::stable_sort(found.begin(), found.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  std::vector<Detection> kept_list;
  for (const Detection& d : found) {
    if (static_cast<int>(kept_list.size()) >= options.max_detections) break;
    // Suppresses' test, with the inside part asking also for a shared contour when
    // nms_inside_shared is set; the contours are compared only for boxes that pass it.
    const auto suppresses = [&](const Detection& kept) {
      if (!Suppresses(kept.box, d.box, options.nms_iou, options.nms_inside)) return false;
      return options.nms_inside_shared <= 0 || BoxIou(kept.box, d.box) > options.nms_iou ||
             SharedContour(d, kept, fragments) >= options.nms_inside_shared;
    };
    if (std::none_of(kept_list.begin(), kept_list.end(), suppresses)) kept_list.push_back(d);
  }
  return kept_list;
}

}  // namespace

Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength) {
  LocalLevelExecutor local;
  return Detect(image, model, options, edge_strength, local);
}

Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength,
                          LevelExecutor& executor) {
  MSRF_ASSIGN_OR_RETURN(MultiDetections pass,
                        DetectModels(image, {model}, options, edge_strength, executor));
  Detections out;
  out.detections = std::move(pass.models.front().detections);
  out.fragments = std::move(pass.fragments);
  out.summary = pass.summary;
  return out;
}

Result<MultiDetections> DetectModels(const cv::Mat& image, const std::vector<ShapeModel>& models,
                                     const DetectOptions& options, const cv::Mat& edge_strength) {
  LocalLevelExecutor local;
  return DetectModels(image, models, options, edge_strength, local);
}

Result<MultiDetections> DetectModels(const cv::Mat& image, const std::vector<ShapeModel>& models,
                                     const DetectOptions& options, const cv::Mat& edge_strength,
                                     LevelExecutor& executor) {
  const Stopwatch total;
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (models.empty()) return InvalidArgumentError("no shape model given");
  for (const ShapeModel& model : models) {
    if (model.points.size() < 16 || model.drawn.size() != model.points.size()) {
      return InvalidArgumentError((model.name.empty() ? std::string("the shape model")
                                                      : "shape model '" + model.name + "'") +
                                  " has too few points");
    }
  }
  MSRF_RETURN_IF_ERROR(CheckMultiscaleInputs(image, edge_strength, options.fragments));
  MultiDetections out;
  out.models.resize(models.size());
  DetectTiming& timing = out.summary.timing;

  // Every model's variants, in one list for the level jobs; variant v belongs to model
  // variant_model[v].
  std::vector<ShapeModel> variants;
  std::vector<size_t> variant_model;
  std::vector<bool> variant_mirrored;
  std::vector<double> variant_stretch;
  for (size_t m = 0; m < models.size(); ++m) {
    MSRF_ASSIGN_OR_RETURN(ModelVariants v, MakeVariants(models[m], options));
    for (size_t k = 0; k < v.models.size(); ++k) {
      variants.push_back(std::move(v.models[k]));
      variant_model.push_back(m);
      variant_mirrored.push_back(v.mirrored[k]);
      variant_stretch.push_back(v.stretch[k]);
    }
  }

  // Level work: one job per pyramid level, run by the executor, for every variant at once.
  MSRF_ASSIGN_OR_RETURN(MultiscaleLevelWork level_work,
                        RunMultiscaleLevels(image, edge_strength, options.fragments,
                                            options.candidates, variants, executor));
  const std::vector<std::vector<Candidate>> variant_candidates = std::move(level_work.candidates);
  timing.candidates_ms += level_work.candidates_ms;
  out.fragments = std::move(level_work.fragments);
  timing.fragments_ms = out.fragments.total_ms;
  out.summary.num_fragments = static_cast<int>(out.fragments.fragments.size());
  Stopwatch watch;  // the stages below time themselves with it

  const FragmentForest forest = FragmentForest::FromFragments(out.fragments.fragments);
  // The contours of the two finest levels by orientation, to verify detections against
  // (timed with the read-out).
  watch.Restart();
  const OrientedContours contours(out.fragments.fragments, image.size(), 1,
                                  options.verify.oriented);
  timing.readout_ms += watch.Milliseconds();

  std::vector<Limb> limbs;
  std::vector<HypothesisContext> contexts;
  limbs.reserve(variants.size());
  for (size_t v = 0; v < variants.size(); ++v) limbs.push_back(FindLimb(variants[v]));
  for (size_t v = 0; v < variants.size(); ++v) {
    const ShapeModel& model = models[variant_model[v]];
    const double model_size = std::max(model.bbox.width, model.bbox.height);
    contexts.push_back({variant_candidates[v], out.fragments, forest, contours, variants[v],
                        limbs[v], model_size, options, variant_stretch[v]});
    out.models[variant_model[v]].summary.num_candidates +=
        static_cast<int>(variant_candidates[v].size());
  }
  // Every variant's own hypotheses, numbered per model (as a run with that model alone
  // numbers them), and examined together.
  struct Job {
    size_t variant;
    int index;  // within its model
    Hypothesis hypothesis;
  };
  std::vector<Job> jobs;
  for (size_t m = 0; m < models.size(); ++m) {
    watch.Restart();
    int index = 0;
    for (size_t v = 0; v < variants.size(); ++v) {
      if (variant_model[v] != m) continue;
      for (const Hypothesis& h :
           FindHypotheses(variant_candidates[v], contexts[v].model_size, options.hypotheses)) {
        jobs.push_back({v, index++, h});
      }
    }
    out.models[m].summary.num_hypotheses = index;
    out.models[m].summary.timing.hypotheses_ms = watch.Milliseconds();
  }

  std::vector<HypothesisResult> results(jobs.size());
  ParallelFor(0, jobs.size(), [&](size_t j) {
    results[j] = RunHypothesis(contexts[jobs[j].variant], jobs[j].index, jobs[j].hypothesis);
  });
  std::vector<std::vector<Detection>> found(models.size());
  for (size_t j = 0; j < jobs.size(); ++j) {
    HypothesisResult& r = results[j];
    if (!r.status.ok()) return r.status;
    const size_t v = jobs[j].variant;
    DetectSummary& s = out.models[variant_model[v]].summary;
    s.timing.append_ms += r.append_ms;
    s.timing.inference_ms += r.inference_ms;
    s.timing.readout_ms += r.readout_ms;
    s.num_pruned_trees += r.pruned_trees;
    r.detection.mirrored = variant_mirrored[v];
    if (r.found && r.detection.score >= options.min_score) {
      found[variant_model[v]].push_back(std::move(r.detection));
    }
  }
  for (size_t m = 0; m < models.size(); ++m) {
    ModelDetections& md = out.models[m];
    md.detections = SuppressOverlaps(std::move(found[m]), options, out.fragments.fragments);
    out.summary.num_candidates += md.summary.num_candidates;
    out.summary.num_hypotheses += md.summary.num_hypotheses;
    out.summary.num_pruned_trees += md.summary.num_pruned_trees;
    timing.hypotheses_ms += md.summary.timing.hypotheses_ms;
    timing.append_ms += md.summary.timing.append_ms;
    timing.inference_ms += md.summary.timing.inference_ms;
    timing.readout_ms += md.summary.timing.readout_ms;
  }
  timing.total_ms = total.Milliseconds();
  // The pass's shared figures, in every model's summary.
  for (ModelDetections& md : out.models) {
    md.summary.num_fragments = out.summary.num_fragments;
    md.summary.timing.fragments_ms = timing.fragments_ms;
    md.summary.timing.candidates_ms = timing.candidates_ms;
    md.summary.timing.total_ms = timing.total_ms;
  }
  return out;
}

}  // namespace msrf
