#include "msrf/grouping/detect.h"

#include <opencv2/imgproc.hpp>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <tuple>

#include "msrf/core/random.h"
#include "msrf/fragments/trees.h"
#include "msrf/grouping/level_work.h"

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

Status HypothesisOptions::Validate() const {
  if (!(log_scale_bin > 0.0) || !(position_bin > 0.0)) {
    return InvalidArgumentError("hypotheses.log_scale_bin and position_bin must be > 0");
  }
  if (max_hypotheses < 1 || max_hypotheses > 1000) {
    return InvalidArgumentError("hypotheses.max_hypotheses must be in [1, 1000], got " +
                                std::to_string(max_hypotheses));
  }
  if (!(centre_tolerance > 0.0) || !(scale_tolerance > 0.0)) {
    return InvalidArgumentError("hypotheses.centre_tolerance and scale_tolerance must be > 0");
  }
  return Status::Ok();
}

Status PotentialOptions::Validate() const {
  if (max_labels < 1 || max_labels > 64) {
    return InvalidArgumentError("potentials.max_labels must be in [1, 64], got " +
                                std::to_string(max_labels));
  }
  if (max_fragments < 1 || max_fragments > 10000) {
    return InvalidArgumentError("potentials.max_fragments must be in [1, 10000], got " +
                                std::to_string(max_fragments));
  }
  if (!(background_unary >= 0.0 && background_unary <= 1.0) ||
      !(background_pairwise >= 0.0 && background_pairwise <= 1.0)) {
    return InvalidArgumentError("potentials.background_unary and background_pairwise must be in [0, 1]");
  }
  if (!(centre_sigma > 0.0) || !(scale_sigma > 0.0)) {
    return InvalidArgumentError("potentials.centre_sigma and scale_sigma must be > 0");
  }
  return Status::Ok();
}

Status DetectOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(fragments.Validate());
  MSRF_RETURN_IF_ERROR(candidates.Validate());
  MSRF_RETURN_IF_ERROR(hypotheses.Validate());
  MSRF_RETURN_IF_ERROR(potentials.Validate());
  MSRF_RETURN_IF_ERROR(append.Validate());
  MSRF_RETURN_IF_ERROR(relaxation.Validate());
  MSRF_RETURN_IF_ERROR(mcmc.Validate());
  MSRF_RETURN_IF_ERROR(icm.Validate());
  if (max_detections < 1 || max_detections > 1000) {
    return InvalidArgumentError("max_detections must be in [1, 1000], got " +
                                std::to_string(max_detections));
  }
  if (!(nms_iou > 0.0 && nms_iou <= 1.0)) return InvalidArgumentError("nms_iou must be in (0, 1]");
  if (!(min_score >= 0.0 && min_score <= 1.0)) return InvalidArgumentError("min_score must be in [0, 1]");
  return Status::Ok();
}

namespace {

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Hypothesis {
  cv::Point2d centre;
  double log_scale = 0.0;
  double weight = 0.0;
};

double VoteWeight(const Candidate& c) { return c.quality * std::sqrt(c.arc_fraction); }

// Peaks of the candidates' votes on (centre, log scale). Bins are a fraction of the object
// size wide, so they grow with the scale they stand for; a bin's strength is the sum of its
// 3 x 3 x 3 neighbourhood, and peaks are bins no neighbour beats.
std::vector<Hypothesis> FindHypotheses(const std::vector<Candidate>& candidates,
                                       double model_size, const HypothesisOptions& o) {
  using Key = std::tuple<int, int, int>;  // (scale bin, x bin, y bin)
  auto spatial = [&](int is) { return o.position_bin * model_size * std::exp((is + 0.5) * o.log_scale_bin); };
  auto key_of = [&](cv::Point2d p, int is) {
    const double b = spatial(is);
    return Key{is, static_cast<int>(std::floor(p.x / b)), static_cast<int>(std::floor(p.y / b))};
  };
  std::map<Key, double> bins;
  for (const Candidate& c : candidates) {
    const int is = static_cast<int>(std::floor(std::log(c.transform.scale) / o.log_scale_bin));
    bins[key_of(c.centre, is)] += VoteWeight(c);
  }
  auto neighbourhood = [&](const Key& k) {
    const auto [is, ix, iy] = k;
    const double b = spatial(is);
    const cv::Point2d centre((ix + 0.5) * b, (iy + 0.5) * b);
    double sum = 0;
    for (int ds = -1; ds <= 1; ++ds) {
      const auto [js, jx, jy] = key_of(centre, is + ds);
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          auto it = bins.find(Key{js, jx + dx, jy + dy});
          if (it != bins.end()) sum += it->second;
        }
      }
    }
    return sum;
  };
  std::map<Key, double> strength;
  for (const auto& [k, w] : bins) strength[k] = neighbourhood(k);
  std::vector<std::pair<double, Key>> peaks;
  for (const auto& [k, s] : strength) {
    const auto [is, ix, iy] = k;
    bool is_peak = true;
    for (int dy = -1; dy <= 1 && is_peak; ++dy) {
      for (int dx = -1; dx <= 1 && is_peak; ++dx) {
        if (dx == 0 && dy == 0) continue;
        auto it = strength.find(Key{is, ix + dx, iy + dy});
        if (it != strength.end() && (it->second > s || (it->second == s && it->first < k))) is_peak = false;
      }
    }
    if (is_peak) peaks.emplace_back(s, k);
  }
  std::stable_sort(peaks.begin(), peaks.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

  std::vector<Hypothesis> out;
  for (const auto& [s, k] : peaks) {
    if (static_cast<int>(out.size()) >= o.max_hypotheses) break;
    // Refine: the weighted mean of the votes that agree with the bin's centre.
    const auto [is, ix, iy] = k;
    const double b = spatial(is);
    Hypothesis h{{(ix + 0.5) * b, (iy + 0.5) * b}, (is + 0.5) * o.log_scale_bin, s};
    for (int pass = 0; pass < 2; ++pass) {
      const double size = model_size * std::exp(h.log_scale);
      cv::Point2d sum(0, 0);
      double ls = 0, total = 0;
      for (const Candidate& c : candidates) {
        if (cv::norm(c.centre - h.centre) > o.centre_tolerance * size) continue;
        if (std::abs(std::log(c.transform.scale) - h.log_scale) > o.scale_tolerance) continue;
        const double w = VoteWeight(c);
        sum += w * c.centre;
        ls += w * std::log(c.transform.scale);
        total += w;
      }
      if (total <= 0) break;
      h.centre = sum / total;
      h.log_scale = ls / total;
    }
    // Skip peaks that converged onto a stronger one.
    bool duplicate = false;
    for (const Hypothesis& g : out) {
      const double size = model_size * std::exp(g.log_scale);
      duplicate |= cv::norm(g.centre - h.centre) < 0.5 * o.centre_tolerance * size &&
                   std::abs(g.log_scale - h.log_scale) < 0.5 * o.scale_tolerance;
    }
    if (!duplicate) out.push_back(h);
  }
  return out;
}

// Fraction of the shorter arc that the other one covers, on the cyclic model contour.
double ArcOverlap(const ModelArc& a, const ModelArc& b, int n) {
  const int la = ArcPointCount(a, n), lb = ArcPointCount(b, n);
  int common = 0;
  for (int k = 0; k < la; ++k) {
    const int i = (a.start + k) % n;
    const int offset = ((i - b.start) % n + n) % n;
    common += offset < lb;
  }
  return static_cast<double>(common) / std::min(la, lb);
}

struct HypothesisResult {
  bool found = false;
  Detection detection;
  int pruned_trees = 0;
  double append_ms = 0, inference_ms = 0, readout_ms = 0;
  Status status;
};

Result<std::unique_ptr<Solver>> MakeSolver(const DetectOptions& o, int hypothesis) {
  switch (o.solver) {
    case SolverKind::kMcmc: {
      McmcOptions m = o.mcmc;
      m.seed = DeriveSeed(o.seed, static_cast<uint64_t>(hypothesis));
      return CreateMcmcSolver(m);
    }
    case SolverKind::kIcm: return CreateIcmSolver(o.icm);
    case SolverKind::kRelaxation: break;
  }
  return CreateRelaxationSolver(o.relaxation);
}

HypothesisResult RunHypothesis(int index, const Hypothesis& h, const std::vector<Candidate>& candidates,
                               const MultiscaleFragments& fragments, const FragmentForest& forest,
                               const cv::Mat& contour_distance, const ShapeModel& model,
                               double model_size, const DetectOptions& o) {
  HypothesisResult result;
  auto start = Clock::now();
  const int n = static_cast<int>(model.points.size());
  const double size = model_size * std::exp(h.log_scale);
  const HypothesisOptions& ho = o.hypotheses;
  const PotentialOptions& po = o.potentials;

  // Agreeing candidates, grouped by fragment (candidates come ordered by fragment id).
  struct Label {
    const Candidate* c;
    double unary;
  };
  std::map<int, std::vector<Label>> by_fragment;
  for (const Candidate& c : candidates) {
    const double d = cv::norm(c.centre - h.centre) / (ho.centre_tolerance * size);
    const double ds = (std::log(c.transform.scale) - h.log_scale) / ho.scale_tolerance;
    if (d > 1.0 || std::abs(ds) > 1.0) continue;
    const double agreement = std::exp(-2.0 * (d * d + ds * ds));
    by_fragment[c.fragment].push_back({&c, c.quality * agreement});
  }
  std::vector<std::pair<double, int>> ranked;  // (best unary, fragment)
  for (auto& [f, labels] : by_fragment) {
    std::stable_sort(labels.begin(), labels.end(), [](const Label& a, const Label& b) { return a.unary > b.unary; });
    if (labels.size() > static_cast<size_t>(po.max_labels)) labels.resize(static_cast<size_t>(po.max_labels));
    ranked.emplace_back(labels.front().unary, f);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > static_cast<size_t>(po.max_fragments)) ranked.resize(static_cast<size_t>(po.max_fragments));
  std::vector<int> kept;
  for (const auto& r : ranked) kept.push_back(r.second);
  std::sort(kept.begin(), kept.end());
  if (kept.empty()) return result;

  // The multiscale field: one node per kept fragment, parents where the fragment's parent
  // is kept too.
  MultiscaleField field;
  std::map<int, int> node_of;
  for (int f : kept) {
    std::vector<float> unary = {static_cast<float>(po.background_unary)};
    for (const Label& l : by_fragment[f]) unary.push_back(static_cast<float>(l.unary));
    node_of[f] = field.AddNode(fragments.fragments[static_cast<size_t>(f)].level, std::move(unary));
  }
  for (int f : kept) {
    const int p = fragments.fragments[static_cast<size_t>(f)].parent;
    if (p >= 0 && node_of.count(p)) {
      Status st = field.SetParent(node_of[f], node_of[p]);
      if (!st.ok()) {
        result.status = st;
        return result;
      }
    }
  }
  auto is_ancestor = [&](int a, int b) {  // fragment a is an ancestor of fragment b
    for (int x = fragments.fragments[static_cast<size_t>(b)].parent; x >= 0;
         x = fragments.fragments[static_cast<size_t>(x)].parent) {
      if (x == a) return true;
    }
    return false;
  };
  const float bg = static_cast<float>(po.background_pairwise);
  for (size_t i = 0; i < kept.size(); ++i) {
    for (size_t j = i + 1; j < kept.size(); ++j) {
      const int fi = kept[i], fj = kept[j];
      if (forest.root_of[static_cast<size_t>(fi)] == forest.root_of[static_cast<size_t>(fj)] &&
          (is_ancestor(fi, fj) || is_ancestor(fj, fi))) {
        continue;  // never both in a cut
      }
      const auto& li = by_fragment[fi];
      const auto& lj = by_fragment[fj];
      const size_t cols = lj.size() + 1;
      std::vector<float> block((li.size() + 1) * cols, bg);
      for (size_t a = 0; a < li.size(); ++a) {
        for (size_t b = 0; b < lj.size(); ++b) {
          const Candidate& ca = *li[a].c;
          const Candidate& cb = *lj[b].c;
          const double dc = cv::norm(ca.centre - cb.centre) / (po.centre_sigma * size);
          const double ds = std::log(ca.transform.scale / cb.transform.scale) / po.scale_sigma;
          const double agree = std::exp(-0.5 * (dc * dc + ds * ds));
          const double overlap = ArcOverlap(ca.arc, cb.arc, n);
          block[(a + 1) * cols + b + 1] = static_cast<float>(agree * (1.0 - overlap));
        }
      }
      Status st = field.AddEdge(node_of[fi], node_of[fj], block);
      if (!st.ok()) {
        result.status = st;
        return result;
      }
    }
  }
  Result<AppendedField> appended = Append(field, o.append);
  if (!appended.ok()) {
    result.status = appended.status();
    return result;
  }
  result.pruned_trees = appended->summary.num_pruned_trees;
  result.append_ms = MsSince(start);

  start = Clock::now();
  Result<std::unique_ptr<Solver>> solver = MakeSolver(o, index);
  if (!solver.ok()) {
    result.status = solver.status();
    return result;
  }
  Result<Solution> solution = (*solver)->Solve(appended->field);
  if (!solution.ok()) {
    result.status = solution.status();
    return result;
  }
  Result<std::vector<int>> states = appended->Decode(solution->labelling);
  if (!states.ok()) {
    result.status = states.status();
    return result;
  }
  result.inference_ms = MsSince(start);

  // Read-out: the fragments labelled with a model arc form the group.
  start = Clock::now();
  Detection& d = result.detection;
  d.hypothesis = index;
  std::vector<cv::Point2d> from, to;
  std::vector<uint8_t> covered(static_cast<size_t>(n), 0);
  for (int f : kept) {
    const int state = (*states)[static_cast<size_t>(node_of[f])];
    if (state < 1) continue;
    const Candidate& c = *by_fragment[f][static_cast<size_t>(state - 1)].c;
    d.fragments.push_back(f);
    d.model_arcs.push_back(c.arc);
    std::vector<cv::Point2d> arc = SampleArc(model, c.arc, o.candidates.samples);
    if (c.reversed) std::reverse(arc.begin(), arc.end());
    const std::vector<cv::Point2d> pts =
        SamplePolyline(fragments.fragments[static_cast<size_t>(f)].resampled, o.candidates.samples);
    from.insert(from.end(), arc.begin(), arc.end());
    to.insert(to.end(), pts.begin(), pts.end());
    for (int k = 0, count = ArcPointCount(c.arc, n); k < count; ++k) covered[static_cast<size_t>((c.arc.start + k) % n)] = 1;
  }
  if (!d.fragments.empty()) {
    // Fit the model to the group: start from the arcs' correspondences, then re-pair every
    // fragment point with the nearest point of the transformed model (a few ICP rounds), so
    // that the fit measures distance to the contour, not slack along it.
    d.transform = FitSimilarity(from, to);
    double rms = 0;
    std::vector<cv::Point2d> model_pairs(to.size());
    for (int round = 0; round < 4; ++round) {
      std::vector<cv::Point2d> placed(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) placed[static_cast<size_t>(i)] = d.transform.Apply(model.points[static_cast<size_t>(i)]);
      double sum = 0;
      for (size_t k = 0; k < to.size(); ++k) {
        double best = 1e300;
        for (int i = 0; i < n; ++i) {
          const cv::Point2d a = placed[static_cast<size_t>(i)], b = placed[static_cast<size_t>((i + 1) % n)];
          const cv::Point2d ab = b - a;
          const double len2 = ab.dot(ab);
          const double t = len2 > 0 ? std::clamp((to[k] - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
          const double dist = cv::norm(to[k] - (a + t * ab));
          if (dist < best) {
            best = dist;
            const cv::Point2d ma = model.points[static_cast<size_t>(i)];
            const cv::Point2d mb = model.points[static_cast<size_t>((i + 1) % n)];
            model_pairs[k] = ma + t * (mb - ma);
          }
        }
        sum += best * best;
      }
      rms = std::sqrt(sum / static_cast<double>(to.size()));
      if (round < 3) d.transform = FitSimilarity(model_pairs, to);
    }
    const double object_size = d.transform.scale * model_size;
    const double e = rms / object_size / o.candidates.fit_sigma;
    d.fit = std::exp(-e * e);
    int drawn = 0, hit = 0;
    for (int i = 0; i < n; ++i) {
      drawn += model.drawn[static_cast<size_t>(i)];
      hit += model.drawn[static_cast<size_t>(i)] && covered[static_cast<size_t>(i)];
    }
    d.coverage = drawn > 0 ? static_cast<double>(hit) / drawn : 0.0;
    double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
    for (const cv::Point2d& p : model.points) {
      const cv::Point2d q = d.transform.Apply(p);
      x0 = std::min(x0, q.x);
      y0 = std::min(y0, q.y);
      x1 = std::max(x1, q.x);
      y1 = std::max(y1, q.y);
    }
    d.box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
    // Support: how much of the placed model lies on any image contour, grouped or not.
    const double tolerance = std::max(2.0, 0.04 * object_size);
    int near = 0, total = 0;
    for (int i = 0; i < n; ++i) {
      if (!model.drawn[static_cast<size_t>(i)]) continue;
      ++total;
      const cv::Point2d q = d.transform.Apply(model.points[static_cast<size_t>(i)]);
      const int x = static_cast<int>(std::lround(q.x)), y = static_cast<int>(std::lround(q.y));
      if (x >= 0 && y >= 0 && x < contour_distance.cols && y < contour_distance.rows &&
          contour_distance.at<float>(y, x) <= tolerance) {
        ++near;
      }
    }
    // In clutter, model points land near some contour by chance: the support counts only
    // what exceeds the fraction of the box's pixels that lie that near a contour.
    const cv::Rect inside = cv::Rect(cv::Point(cvFloor(d.box.x), cvFloor(d.box.y)),
                                     cv::Point(cvCeil(d.box.br().x), cvCeil(d.box.br().y))) &
                            cv::Rect(0, 0, contour_distance.cols, contour_distance.rows);
    double chance = 0.0;
    if (inside.area() > 0) {
      chance = cv::countNonZero(contour_distance(inside) <= tolerance) / static_cast<double>(inside.area());
    }
    const double raw_support = total > 0 ? static_cast<double>(near) / total : 0.0;
    d.support = chance < 1.0 ? std::max(0.0, (raw_support - chance) / (1.0 - chance)) : 0.0;
    d.score = d.coverage * d.support * d.fit;
    result.found = true;
  }
  result.readout_ms = MsSince(start);
  return result;
}

}  // namespace

Result<ShapeModel> MirrorModel(const ShapeModel& model) {
  std::vector<cv::Point2d> mirrored;
  for (const cv::Point2d& p : model.points) mirrored.emplace_back(-p.x, p.y);
  ShapeModelOptions options;
  options.num_points = static_cast<int>(model.points.size());
  options.part_vertices.clear();
  for (const ModelPartLevel& level : model.parts) options.part_vertices.push_back(level.vertices);
  if (options.part_vertices.empty()) options.part_vertices = ShapeModelOptions().part_vertices;
  // Mirroring flips the orientation; the model is re-oriented and re-started at the top,
  // and drawn flag i belongs to the edge from point i to i + 1.
  MSRF_ASSIGN_OR_RETURN(ShapeModel m, ShapeModelFromPolygon(mirrored, model.drawn, options));
  m.name = model.name;
  return m;
}

Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength) {
  LocalLevelExecutor local;
  return Detect(image, model, options, edge_strength, local);
}

Result<Detections> Detect(const cv::Mat& image, const ShapeModel& model,
                          const DetectOptions& options, const cv::Mat& edge_strength,
                          LevelExecutor& executor) {
  const auto start = Clock::now();
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (model.points.size() < 16 || model.drawn.size() != model.points.size()) {
    return InvalidArgumentError("the shape model has too few points");
  }
  MSRF_RETURN_IF_ERROR(CheckMultiscaleInputs(image, edge_strength, options.fragments));
  Detections out;
  DetectTiming& timing = out.summary.timing;

  // The model, and its mirror image when asked for: each gets its own candidates and
  // hypotheses; their detections compete in one list.
  std::vector<ShapeModel> variants = {model};
  if (options.mirror) {
    MSRF_ASSIGN_OR_RETURN(ShapeModel mirrored, MirrorModel(model));
    variants.push_back(std::move(mirrored));
  }

  // Level work: one job per pyramid level, run by the executor.
  auto t = Clock::now();
  const std::vector<double> scales = PyramidScales(image.size(), options.fragments.pyramid);
  std::vector<LevelJob> jobs(scales.size());
  tbb::parallel_for(size_t{0}, scales.size(), [&](size_t l) {
    LevelJob& job = jobs[l];
    job.level = BuildImageLevel(image, edge_strength, static_cast<int>(l), scales[l],
                                options.fragments.pyramid);
    job.fragments = options.fragments;
    job.candidates = options.candidates;
    job.models = variants;
    job.image_size = image.size();
  });
  MSRF_ASSIGN_OR_RETURN(std::vector<LevelOutput> outputs, executor.Run(jobs));
  if (outputs.size() != jobs.size()) return InternalError("the executor lost level jobs");
  // Fragment ids run over the levels, finest first; candidates follow their fragments.
  std::vector<std::vector<Candidate>> variant_candidates(variants.size());
  std::vector<LevelFragments> levels(outputs.size());
  int first_id = 0;
  for (size_t l = 0; l < outputs.size(); ++l) {
    LevelOutput& level = outputs[l];
    for (size_t v = 0; v < variants.size(); ++v) {
      for (Candidate c : level.candidates[v]) {
        c.fragment += first_id;
        variant_candidates[v].push_back(c);
      }
    }
    timing.candidates_ms += level.candidates_ms;
    first_id += static_cast<int>(level.fragments.size());
    levels[l].summary = level.summary;
    levels[l].fragments = std::move(level.fragments);
  }
  out.fragments = AssembleLevels(std::move(levels), image.size(), scales, options.fragments.trees);
  out.fragments.total_ms = MsSince(t);
  timing.fragments_ms = out.fragments.total_ms;
  out.summary.num_fragments = static_cast<int>(out.fragments.fragments.size());

  const FragmentForest forest = FragmentForest::FromFragments(out.fragments.fragments);
  // Distance to the nearest contour of the two finest levels, for the support of a detection.
  cv::Mat contours(image.size(), CV_8U, cv::Scalar(255));
  for (const Fragment& f : out.fragments.fragments) {
    if (f.level > 1) continue;
    std::vector<cv::Point> pts;
    for (const cv::Point2f& p : f.points) pts.emplace_back(cvRound(p.x), cvRound(p.y));
    cv::polylines(contours, pts, false, cv::Scalar(0), 1, cv::LINE_8);
  }
  cv::Mat contour_distance;
  cv::distanceTransform(contours, contour_distance, cv::DIST_L2, 3);

  const double model_size = std::max(model.bbox.width, model.bbox.height);
  std::vector<Detection> found;
  for (size_t v = 0; v < variants.size(); ++v) {
    const ShapeModel& variant = variants[v];
    const std::vector<Candidate>& candidates = variant_candidates[v];
    out.summary.num_candidates += static_cast<int>(candidates.size());

    t = Clock::now();
    const std::vector<Hypothesis> hypotheses = FindHypotheses(candidates, model_size, options.hypotheses);
    timing.hypotheses_ms += MsSince(t);
    const int first_hypothesis = out.summary.num_hypotheses;
    out.summary.num_hypotheses += static_cast<int>(hypotheses.size());

    std::vector<HypothesisResult> results(hypotheses.size());
    tbb::parallel_for(size_t{0}, hypotheses.size(), [&](size_t h) {
      results[h] = RunHypothesis(first_hypothesis + static_cast<int>(h), hypotheses[h], candidates,
                                 out.fragments, forest, contour_distance, variant, model_size, options);
    });
    for (HypothesisResult& r : results) {
      if (!r.status.ok()) return r.status;
      timing.append_ms += r.append_ms;
      timing.inference_ms += r.inference_ms;
      timing.readout_ms += r.readout_ms;
      out.summary.num_pruned_trees += r.pruned_trees;
      r.detection.mirrored = v == 1;
      if (r.found && r.detection.score >= options.min_score) found.push_back(r.detection);
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const Detection& a, const Detection& b) { return a.score > b.score; });
  for (const Detection& d : found) {
    if (static_cast<int>(out.detections.size()) >= options.max_detections) break;
    bool suppressed = false;
    for (const Detection& kept : out.detections) suppressed |= BoxIou(kept.box, d.box) > options.nms_iou;
    if (!suppressed) out.detections.push_back(d);
  }
  timing.total_ms = MsSince(start);
  return out;
}

}  // namespace msrf
