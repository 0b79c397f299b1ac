#include "msrf/grouping/detect.h"

#include <tbb/parallel_for.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
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
  if (!(peak_pool >= 1.0 && peak_pool <= 10.0)) {
    return InvalidArgumentError("hypotheses.peak_pool must be in [1, 10], got " +
                                std::to_string(peak_pool));
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
    return InvalidArgumentError(
        "potentials.background_unary and background_pairwise must be in [0, 1]");
  }
  if (!(centre_sigma > 0.0) || !(scale_sigma > 0.0)) {
    return InvalidArgumentError("potentials.centre_sigma and scale_sigma must be > 0");
  }
  return Status::Ok();
}

Status VerifyOptions::Validate() const {
  if (refine_rounds < 0 || refine_rounds > 20) {
    return InvalidArgumentError("verify.refine_rounds must be in [0, 20], got " +
                                std::to_string(refine_rounds));
  }
  if (!(search_radius > 0.0 && search_radius <= 1.0)) {
    return InvalidArgumentError("verify.search_radius must be in (0, 1]");
  }
  if (!(max_stretch >= 1.0 && max_stretch <= 4.0))
    return InvalidArgumentError("verify.max_stretch must be in [1, 4]");
  if (!(support_tolerance > 0.0 && support_tolerance <= 1.0)) {
    return InvalidArgumentError("verify.support_tolerance must be in (0, 1]");
  }
  if (deform_rounds < 0 || deform_rounds > 20) {
    return InvalidArgumentError("verify.deform_rounds must be in [0, 20], got " +
                                std::to_string(deform_rounds));
  }
  if (!(deform_radius > 0.0 && deform_radius <= 1.0))
    return InvalidArgumentError("verify.deform_radius must be in (0, 1]");
  if (!(deform_sigma > 0.0 && deform_sigma <= 64.0))
    return InvalidArgumentError("verify.deform_sigma must be in (0, 64]");
  if (!(deform_prior >= 0.0 && deform_prior <= 10.0))
    return InvalidArgumentError("verify.deform_prior must be in [0, 10]");
  if (!(max_deform >= 0.0 && max_deform <= 1.0))
    return InvalidArgumentError("verify.max_deform must be in [0, 1]");
  if (!(cut_extension >= 0.0 && cut_extension <= 1.0))
    return InvalidArgumentError("verify.cut_extension must be in [0, 1]");
  if (!(fit_weight >= 0.0 && fit_weight <= 4.0))
    return InvalidArgumentError("verify.fit_weight must be in [0, 4]");
  if (!(curvature_weight >= 0.0 && curvature_weight <= 16.0))
    return InvalidArgumentError("verify.curvature_weight must be in [0, 16]");
  if (!(surround_width > 0.0 && surround_width <= 1.0))
    return InvalidArgumentError("verify.surround_width must be in (0, 1]");
  if (!(surround_weight >= 0.0 && surround_weight <= 8.0))
    return InvalidArgumentError("verify.surround_weight must be in [0, 8]");
  if (warp_grid < 0 || warp_grid > 16) {
    return InvalidArgumentError("verify.warp_grid must be in [0, 16], got " +
                                std::to_string(warp_grid));
  }
  if (!(warp_radius > 0.0 && warp_radius <= 1.0))
    return InvalidArgumentError("verify.warp_radius must be in (0, 1]");
  if (!(warp_ridge > 0.0 && warp_ridge <= 10.0))
    return InvalidArgumentError("verify.warp_ridge must be in (0, 10]");
  if (!(warp_smooth >= 0.0 && warp_smooth <= 100.0))
    return InvalidArgumentError("verify.warp_smooth must be in [0, 100]");
  if (!(max_warp >= 0.0 && max_warp <= 1.0))
    return InvalidArgumentError("verify.max_warp must be in [0, 1]");
  if (!(max_limb_turn_deg >= 0.0 && max_limb_turn_deg <= 90.0)) {
    return InvalidArgumentError("verify.max_limb_turn_deg must be in [0, 90]");
  }
  if (limb_turn_steps < 1 || limb_turn_steps > 32) {
    return InvalidArgumentError("verify.limb_turn_steps must be in [1, 32], got " +
                                std::to_string(limb_turn_steps));
  }
  return Status::Ok();
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
  if (max_detections < 1 || max_detections > 1000) {
    return InvalidArgumentError("max_detections must be in [1, 1000], got " +
                                std::to_string(max_detections));
  }
  if (!(nms_iou > 0.0 && nms_iou <= 1.0)) return InvalidArgumentError("nms_iou must be in (0, 1]");
  if (!(nms_inside >= 0.0 && nms_inside <= 1.0))
    return InvalidArgumentError("nms_inside must be in [0, 1]");
  if (!(min_score >= 0.0 && min_score <= 1.0))
    return InvalidArgumentError("min_score must be in [0, 1]");
  return Status::Ok();
}

namespace {

using Clock = std::chrono::steady_clock;
double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double VoteWeight(const Candidate& c) { return c.quality * std::sqrt(c.arc_fraction); }

}  // namespace

// Bins are a fraction of the object size wide, so they grow with the scale they stand for; a
// bin's strength is the sum of its 3 x 3 x 3 neighbourhood, and peaks are bins no spatial
// neighbour beats.
std::vector<Hypothesis> FindHypotheses(const std::vector<Candidate>& candidates, double model_size,
                                       const HypothesisOptions& o) {
  using Key = std::tuple<int, int, int>;  // (scale bin, x bin, y bin)
  auto spatial = [&](int is) {
    return o.position_bin * model_size * std::exp((is + 0.5) * o.log_scale_bin);
  };
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
        if (it != strength.end() && (it->second > s || (it->second == s && it->first < k)))
          is_peak = false;
      }
    }
    if (is_peak) peaks.emplace_back(s, k);
  }
  std::stable_sort(peaks.begin(), peaks.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  // Refine the strongest peaks: twice, the weighted mean of the votes that agree with the
  // peak. Then rank them by the weight of those votes, which does not depend on where the bin
  // edges fell as the bins' sums do.
  const size_t refined =
      std::min(peaks.size(), static_cast<size_t>(std::ceil(o.peak_pool * o.max_hypotheses)));
  std::vector<Hypothesis> pool;
  pool.reserve(refined);
  for (size_t p = 0; p < refined; ++p) {
    const auto& [s, k] = peaks[p];
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
      h.weight = total;
    }
    pool.push_back(h);
  }
  std::stable_sort(pool.begin(), pool.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.weight > b.weight; });

  std::vector<Hypothesis> out;
  for (const Hypothesis& h : pool) {
    if (static_cast<int>(out.size()) >= o.max_hypotheses) break;
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

namespace {

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

// The contours of the finest levels split by orientation: channel b holds the contour
// pixels whose direction lies within one bin of bin b (bins of 180 / kBins degrees), with
// the distance from every pixel to the nearest of them and which one it is.
class OrientedContours {
 public:
  static constexpr int kBins = 8;

  OrientedContours(const std::vector<Fragment>& fragments, cv::Size size, int max_level,
                   bool oriented)
      : oriented_(oriented) {
    std::vector<cv::Mat> masks(kBins);
    for (cv::Mat& m : masks) m = cv::Mat(size, CV_8U, cv::Scalar(0));
    for (const Fragment& f : fragments) {
      if (f.level > max_level) continue;
      for (size_t i = 0; i + 1 < f.points.size(); ++i) {
        const cv::Point a(cvRound(f.points[i].x), cvRound(f.points[i].y));
        const cv::Point b(cvRound(f.points[i + 1].x), cvRound(f.points[i + 1].y));
        // The direction over a few points is steadier than over one pixel step.
        const size_t lo = i >= 2 ? i - 2 : 0, hi = std::min(f.points.size() - 1, i + 3);
        const cv::Point2f d = f.points[hi] - f.points[lo];
        cv::line(masks[static_cast<size_t>(oriented ? Bin(d) : 0)], a, b, cv::Scalar(255), 1,
                 cv::LINE_8);
      }
    }
    cv::Mat any = masks[0].clone();
    for (int c = 1; c < kBins; ++c) any |= masks[static_cast<size_t>(c)];
    cv::dilate(any, near_any_, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    const int channels = oriented ? kBins : 1;
    for (int c = 0; c < channels; ++c) {
      cv::Mat in_channel = masks[static_cast<size_t>(c)].clone();
      if (oriented) {
        in_channel |= masks[static_cast<size_t>((c + 1) % kBins)];
        in_channel |= masks[static_cast<size_t>((c + kBins - 1) % kBins)];
      }
      cv::Mat labels;
      cv::distanceTransform(255 - in_channel, distance_[static_cast<size_t>(c)], labels,
                            cv::DIST_L2, cv::DIST_MASK_5, cv::DIST_LABEL_PIXEL);
      std::vector<cv::Point>& where = where_[static_cast<size_t>(c)];
      for (int y = 0; y < size.height; ++y) {
        for (int x = 0; x < size.width; ++x) {
          if (!in_channel.at<uint8_t>(y, x)) continue;
          const int label = labels.at<int>(y, x);
          if (label >= static_cast<int>(where.size())) where.resize(static_cast<size_t>(label) + 1);
          where[static_cast<size_t>(label)] = cv::Point(x, y);
        }
      }
      labels_[static_cast<size_t>(c)] = std::move(labels);
    }
  }

  // The channel of a direction.
  int Channel(cv::Point2d direction) const { return oriented_ ? Bin(direction) : 0; }
  cv::Size size() const { return distance_[0].size(); }
  bool Inside(cv::Point2d p) const {
    return p.x >= 0 && p.y >= 0 && p.x <= size().width - 1 && p.y <= size().height - 1;
  }
  // Distance from p (inside) to the nearest contour pixel of channel c, and that pixel.
  float Distance(int c, cv::Point2d p) const {
    return distance_[static_cast<size_t>(c)].at<float>(cvRound(p.y), cvRound(p.x));
  }
  cv::Point Nearest(int c, cv::Point2d p) const {
    const int label = labels_[static_cast<size_t>(c)].at<int>(cvRound(p.y), cvRound(p.x));
    const auto& where = where_[static_cast<size_t>(c)];
    return label >= 0 && label < static_cast<int>(where.size())
               ? where[static_cast<size_t>(label)]
               : cv::Point(cvRound(p.x), cvRound(p.y));
  }
  // 255 where a contour pixel of any orientation lies within one pixel, else 0.
  const cv::Mat& near_any() const { return near_any_; }
  // Fraction of the pixels of `box` within `tolerance` of a contour of channel c.
  double NearFraction(int c, const cv::Rect& box, double tolerance) const {
    const cv::Rect r = box & cv::Rect(cv::Point(0, 0), size());
    if (r.area() <= 0) return 0.0;
    return cv::countNonZero(distance_[static_cast<size_t>(c)](r) <= tolerance) /
           static_cast<double>(r.area());
  }

 private:
  static int Bin(cv::Point2d d) {
    double a = std::atan2(d.y, d.x);
    if (a < 0) a += CV_PI;
    return std::min(kBins - 1, static_cast<int>(a / (CV_PI / kBins))) % kBins;
  }

  bool oriented_;
  cv::Mat near_any_;
  std::array<cv::Mat, kBins> distance_;
  std::array<cv::Mat, kBins> labels_;
  std::array<std::vector<cv::Point>, kBins> where_;
};

// The model placed by a similarity after stretching it by diag(k, 1/k).
struct Placement {
  Similarity similarity;
  double stretch = 1.0;
  cv::Point2d Apply(cv::Point2d p) const {
    return similarity.Apply({stretch * p.x, p.y / stretch});
  }
};

std::vector<cv::Point2d> Place(const ShapeModel& model, const Placement& placement) {
  std::vector<cv::Point2d> out;
  out.reserve(model.points.size());
  for (const cv::Point2d& p : model.points) out.push_back(placement.Apply(p));
  return out;
}

// Weighted least-squares placement taking model points m onto image points p: the rotation
// from Procrustes of the stretched points, then per model axis a scale and offset, the
// stretch clamped to [1 / max_stretch, max_stretch] and the rotation to max_angle.
Placement FitPlacement(const std::vector<cv::Point2d>& m, const std::vector<cv::Point2d>& p,
                       const std::vector<double>& w, const Placement& start, double max_stretch,
                       double max_angle) {
  Placement out = start;
  double wsum = 0;
  for (double x : w) wsum += x;
  if (wsum <= 0) return out;
  for (int iteration = 0; iteration < 2; ++iteration) {
    // Rotation: weighted complex Procrustes of the stretched model points onto p.
    cv::Point2d ma(0, 0), pa(0, 0);
    for (size_t i = 0; i < m.size(); ++i) {
      ma += w[i] * cv::Point2d(out.stretch * m[i].x, m[i].y / out.stretch);
      pa += w[i] * p[i];
    }
    ma *= 1.0 / wsum;
    pa *= 1.0 / wsum;
    double re = 0, im = 0;
    for (size_t i = 0; i < m.size(); ++i) {
      const cv::Point2d a = cv::Point2d(out.stretch * m[i].x, m[i].y / out.stretch) - ma,
                        b = p[i] - pa;
      re += w[i] * (a.x * b.x + a.y * b.y);
      im += w[i] * (a.x * b.y - a.y * b.x);
    }
    const double angle = std::clamp(std::atan2(im, re), -max_angle, max_angle);
    // Per model axis: R^T p = (sx m.x + tx, sy m.y + ty), two 1-d weighted regressions.
    const double c = std::cos(angle), s = std::sin(angle);
    double scale[2];
    for (int axis = 0; axis < 2; ++axis) {
      double sm = 0, sq = 0, smm = 0, smq = 0;
      for (size_t i = 0; i < m.size(); ++i) {
        const double mv = axis == 0 ? m[i].x : m[i].y;
        const double qv = axis == 0 ? c * p[i].x + s * p[i].y : -s * p[i].x + c * p[i].y;
        sm += w[i] * mv;
        sq += w[i] * qv;
        smm += w[i] * mv * mv;
        smq += w[i] * mv * qv;
      }
      const double var = smm - sm * sm / wsum;
      scale[axis] = var > 1e-12 ? (smq - sm * sq / wsum) / var : 0.0;
    }
    if (!(scale[0] > 0) || !(scale[1] > 0)) return start;
    const double k = std::clamp(std::sqrt(scale[0] / scale[1]), 1.0 / max_stretch, max_stretch);
    const double sc = std::sqrt(scale[0] * scale[1]);
    // Translation: with scale and stretch fixed, the weighted means must agree.
    out.similarity.scale = sc;
    out.similarity.angle = angle;
    out.stretch = k;
    out.similarity.translation = cv::Point2d(0, 0);
    cv::Point2d placed_mean(0, 0);
    for (size_t i = 0; i < m.size(); ++i) placed_mean += w[i] * out.Apply(m[i]);
    placed_mean *= 1.0 / wsum;
    out.similarity.translation = pa - placed_mean;
  }
  return out;
}

// Pairs point i of the closed contour `points` with the nearest contour pixel of its
// orientation (taken from its neighbours) within `radius`, weighted by Tukey's biweight of
// the distance; not found when there is none or the point is outside the image.
struct ContourPair {
  bool found = false;
  cv::Point2d target;
  double weight = 0.0;
};
ContourPair PairWithContour(const OrientedContours& contours,
                            const std::vector<cv::Point2d>& points, int i, double radius) {
  const int n = static_cast<int>(points.size());
  const cv::Point2d q = points[static_cast<size_t>(i)];
  if (!contours.Inside(q)) return {};
  const int c = contours.Channel(points[static_cast<size_t>((i + 1) % n)] -
                                 points[static_cast<size_t>((i + n - 1) % n)]);
  const double d = contours.Distance(c, q);
  if (d > radius) return {};
  const double e = d / radius;
  return {true, cv::Point2d(contours.Nearest(c, q)), (1 - e * e) * (1 - e * e)};
}

// Refines a placement onto the oriented contours: each drawn model point pairs with the
// nearest contour pixel of its orientation within a radius that shrinks round by round.
Placement RefinePlacement(const ShapeModel& model, const Placement& start,
                          const OrientedContours& contours, double model_size, double max_angle,
                          const VerifyOptions& o) {
  Placement placement = start;
  const int n = static_cast<int>(model.points.size());
  int drawn = 0;
  for (uint8_t d : model.drawn) drawn += d;
  for (int round = 0; round < o.refine_rounds; ++round) {
    const double size = placement.similarity.scale * model_size;
    const double t = o.refine_rounds > 1 ? static_cast<double>(round) / (o.refine_rounds - 1) : 0.0;
    const double radius =
        std::max(2.0, size * (o.search_radius + t * (o.support_tolerance - o.search_radius)));
    const std::vector<cv::Point2d> placed = Place(model, placement);
    std::vector<cv::Point2d> m, p;
    std::vector<double> w;
    for (int i = 0; i < n; ++i) {
      if (!model.drawn[static_cast<size_t>(i)]) continue;
      const ContourPair pair = PairWithContour(contours, placed, i, radius);
      if (!pair.found) continue;
      m.push_back(model.points[static_cast<size_t>(i)]);
      p.push_back(pair.target);
      w.push_back(pair.weight);
    }
    // Too few pairs to constrain a placement: keep what there is.
    if (static_cast<int>(m.size()) < std::max(8, drawn / 4)) break;
    placement = FitPlacement(m, p, w, placement, o.max_stretch, max_angle);
  }
  return placement;
}

// Bends the placed outline onto the oriented contours: each drawn point pairs with the
// nearest contour pixel of its orientation within the search radius; the displacements are
// smoothed along the contour (a Gaussian of deform_sigma points, weighted by the pairs'
// Tukey weights, shrunk towards zero where pairs are few) and bounded by max_deform object
// sizes, so parts move as a whole and by little.
std::vector<cv::Point2d> DeformOutline(const ShapeModel& model,
                                       const std::vector<cv::Point2d>& base,
                                       const OrientedContours& contours, double size,
                                       const VerifyOptions& o) {
  const int n = static_cast<int>(base.size());
  std::vector<cv::Point2d> u(static_cast<size_t>(n), cv::Point2d(0, 0));
  if (o.deform_rounds <= 0 || !(o.max_deform > 0)) return base;
  const double radius = std::max(2.0, o.deform_radius * size);
  const double limit = o.max_deform * size;
  const int half = static_cast<int>(std::ceil(3 * o.deform_sigma));
  std::vector<double> g(static_cast<size_t>(2 * half + 1));
  double gsum = 0;
  for (int k = -half; k <= half; ++k) {
    g[static_cast<size_t>(k + half)] = std::exp(-0.5 * k * k / (o.deform_sigma * o.deform_sigma));
    gsum += g[static_cast<size_t>(k + half)];
  }
  std::vector<cv::Point2d> d(static_cast<size_t>(n));
  std::vector<double> w(static_cast<size_t>(n));
  std::vector<cv::Point2d> moved(static_cast<size_t>(n));
  for (int round = 0; round < o.deform_rounds; ++round) {
    for (size_t i = 0; i < moved.size(); ++i) moved[i] = base[i] + u[i];
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      w[si] = 0;
      if (!model.drawn[si]) continue;
      const ContourPair pair = PairWithContour(contours, moved, i, radius);
      if (!pair.found) continue;
      w[si] = pair.weight;
      d[si] = pair.target - base[si];
    }
    std::vector<cv::Point2d> next_u(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      cv::Point2d num(0, 0);
      double den = std::max(o.deform_prior * gsum, 1e-9);
      for (int k = -half; k <= half; ++k) {
        const size_t j = static_cast<size_t>(((i + k) % n + n) % n);
        const double gw = g[static_cast<size_t>(k + half)] * w[j];
        num += gw * d[j];
        den += gw;
      }
      cv::Point2d v = num / den;
      const double len = cv::norm(v);
      if (len > limit) v *= limit / len;
      next_u[static_cast<size_t>(i)] = v;
    }
    u = std::move(next_u);
  }
  std::vector<cv::Point2d> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    out[static_cast<size_t>(i)] = base[static_cast<size_t>(i)] + u[static_cast<size_t>(i)];
  return out;
}

// Warps the placed outline by a free-form deformation: a lattice of grid x grid cells over
// the model's box, each lattice point displaced in the image, the outline's points moved by
// the bilinear blend of their cell's corners. The displacements are fitted by weighted least
// squares to the nearest contour pixel of each drawn point's orientation (Tukey weights,
// radius shrinking round by round), with a ridge towards zero and a pull towards the
// neighbours, and capped, so that parts near each other in space (both sides of a neck)
// move together and a part may swing as a whole.
std::vector<cv::Point2d> WarpOutline(const ShapeModel& model, const std::vector<cv::Point2d>& base,
                                     const OrientedContours& contours, double size,
                                     const VerifyOptions& o) {
  constexpr int kRounds = 4;
  const int grid = o.warp_grid;
  if (grid < 1 || !(o.max_warp > 0)) return base;
  const int n = static_cast<int>(base.size());
  const int side = grid + 1, k_count = side * side;
  const cv::Rect2d box = model.bbox;
  // Each point's cell and bilinear weights.
  std::vector<std::array<int, 4>> corner(static_cast<size_t>(n));
  std::vector<std::array<double, 4>> weight(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const cv::Point2d m = model.points[static_cast<size_t>(i)];
    const double gx = std::clamp((m.x - box.x) / std::max(1e-9, box.width) * grid, 0.0,
                                 static_cast<double>(grid));
    const double gy = std::clamp((m.y - box.y) / std::max(1e-9, box.height) * grid, 0.0,
                                 static_cast<double>(grid));
    const int cx = std::min(grid - 1, static_cast<int>(gx)),
              cy = std::min(grid - 1, static_cast<int>(gy));
    const double fx = gx - cx, fy = gy - cy;
    const int top_left = cy * side + cx;
    corner[static_cast<size_t>(i)] = {top_left, top_left + 1, top_left + side, top_left + side + 1};
    weight[static_cast<size_t>(i)] = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
  }
  std::vector<cv::Point2d> move(static_cast<size_t>(k_count), cv::Point2d(0, 0));
  std::vector<cv::Point2d> out = base;
  for (int round = 0; round < kRounds; ++round) {
    const double t = static_cast<double>(round) / (kRounds - 1);
    const double radius =
        std::max(2.0, size * (o.warp_radius + t * (o.support_tolerance - o.warp_radius)));
    cv::Mat a(k_count, k_count, CV_64F, cv::Scalar(0)), rhs(k_count, 2, CV_64F, cv::Scalar(0));
    double wsum = 0;
    int pairs = 0;
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      if (!model.drawn[si]) continue;
      const ContourPair pair = PairWithContour(contours, out, i, radius);
      if (!pair.found) continue;
      const double w = pair.weight;
      const cv::Point2d target = pair.target - base[si];
      for (int u = 0; u < 4; ++u) {
        const int ku = corner[si][static_cast<size_t>(u)];
        const double bu = weight[si][static_cast<size_t>(u)];
        rhs.at<double>(ku, 0) += w * bu * target.x;
        rhs.at<double>(ku, 1) += w * bu * target.y;
        for (int v = 0; v < 4; ++v) {
          a.at<double>(ku, corner[si][static_cast<size_t>(v)]) +=
              w * bu * weight[si][static_cast<size_t>(v)];
        }
      }
      wsum += w;
      ++pairs;
    }
    if (pairs < 8) break;
    const double scale = wsum / k_count;
    for (int k = 0; k < k_count; ++k) {
      a.at<double>(k, k) += o.warp_ridge * scale;
      const int kx = k % side, ky = k / side;
      for (const auto& [dx, dy] : {std::pair{1, 0}, std::pair{0, 1}}) {
        if (kx + dx >= side || ky + dy >= side) continue;
        const int l = (ky + dy) * side + kx + dx;
        a.at<double>(k, k) += o.warp_smooth * scale;
        a.at<double>(l, l) += o.warp_smooth * scale;
        a.at<double>(k, l) -= o.warp_smooth * scale;
        a.at<double>(l, k) -= o.warp_smooth * scale;
      }
    }
    cv::Mat x;
    if (!cv::solve(a, rhs, x, cv::DECOMP_CHOLESKY)) break;
    for (int k = 0; k < k_count; ++k) {
      cv::Point2d v(x.at<double>(k, 0), x.at<double>(k, 1));
      const double len = cv::norm(v);
      if (len > o.max_warp * size) v *= o.max_warp * size / len;
      move[static_cast<size_t>(k)] = v;
    }
    for (int i = 0; i < n; ++i) {
      const size_t si = static_cast<size_t>(i);
      cv::Point2d u(0, 0);
      for (int j = 0; j < 4; ++j) {
        u += weight[si][static_cast<size_t>(j)] *
             move[static_cast<size_t>(corner[si][static_cast<size_t>(j)])];
      }
      out[si] = base[si] + u;
    }
  }
  return out;
}

// A limb of the model: the arc from point `first` forwards (cyclically) to point `last`
// that a short chord cuts off from the rest of the outline and that reaches far beyond it,
// such as a giraffe's or a swan's neck with its head. It may turn about the chord's middle.
struct Limb {
  int first = -1, last = -1;
  bool found() const { return first >= 0; }
};

// The arc of 1/8 to 1/2 of the model's points whose chord is at most a quarter of the model's
// size, whose farthest point lies at least 0.35 sizes from the chord's middle, and which
// reaches furthest beyond its chord; none when no arc qualifies (a bottle, a mug).
Limb FindLimb(const ShapeModel& model) {
  constexpr double kMaxChord = 0.25, kMinReach = 0.35;
  const int n = static_cast<int>(model.points.size());
  const double size = std::max(model.bbox.width, model.bbox.height);
  Limb best;
  double best_value = 0;
  for (int a = 0; a < n; ++a) {
    for (int length = n / 8; length <= n / 2; ++length) {
      const int b = (a + length) % n;
      const cv::Point2d pa = model.points[static_cast<size_t>(a)],
                        pb = model.points[static_cast<size_t>(b)];
      const double chord = cv::norm(pa - pb);
      if (chord > kMaxChord * size) continue;
      const cv::Point2d middle = 0.5 * (pa + pb);
      double reach = 0;
      for (int k = 1; k < length; ++k) {
        reach = std::max(reach, cv::norm(model.points[static_cast<size_t>((a + k) % n)] - middle));
      }
      if (reach < kMinReach * size || reach - chord <= best_value) continue;
      best_value = reach - chord;
      best = {a, b};
    }
  }
  return best;
}

// The closed contour `points` with the limb turned by `angle` (radians, clockwise on screen)
// about its chord's middle; the turn fades in over the three points next to each end of the
// chord, so the contour stays closed.
std::vector<cv::Point2d> TurnLimb(const std::vector<cv::Point2d>& points, const Limb& limb,
                                  double angle) {
  constexpr int kFade = 3;
  std::vector<cv::Point2d> out = points;
  if (!limb.found() || angle == 0.0) return out;
  const int n = static_cast<int>(points.size());
  const int length = (limb.last - limb.first + n) % n;
  const cv::Point2d pivot =
      0.5 * (points[static_cast<size_t>(limb.first)] + points[static_cast<size_t>(limb.last)]);
  for (int k = 1; k < length; ++k) {
    const double fade = std::min(1.0, std::min(k, length - k) / static_cast<double>(kFade + 1));
    const double c = std::cos(fade * angle), s = std::sin(fade * angle);
    const size_t i = static_cast<size_t>((limb.first + k) % n);
    const cv::Point2d d = points[i] - pivot;
    out[i] = pivot + cv::Point2d(c * d.x - s * d.y, s * d.x + c * d.y);
  }
  return out;
}

// The angle, of 2 x limb_turn_steps + 1 evenly spaced over +-max_limb_turn_deg, by which the
// limb of the placed outline turns (TurnLimb) so that its drawn points pair best with
// contours of their orientation within twice the support tolerance (the sum of the pairs'
// Tukey weights). Another angle than 0 is taken only when it beats the drawing's pose by 5%
// of the limb's drawn points. Radians.
double BestLimbTurn(const ShapeModel& model, const Limb& limb,
                    const std::vector<cv::Point2d>& placed, const OrientedContours& contours,
                    double size, const VerifyOptions& o) {
  constexpr double kMargin = 0.05;
  const double max_turn = o.max_limb_turn_deg * CV_PI / 180.0;
  if (!limb.found() || !(max_turn > 0)) return 0.0;
  const int n = static_cast<int>(placed.size());
  const int length = (limb.last - limb.first + n) % n;
  const double radius = std::max(2.0, 2.0 * o.support_tolerance * size);
  int drawn = 0;
  const auto paired = [&](const std::vector<cv::Point2d>& points) {
    double sum = 0;
    drawn = 0;
    for (int k = 0; k <= length; ++k) {
      const int i = (limb.first + k) % n;
      if (!model.drawn[static_cast<size_t>(i)]) continue;
      ++drawn;
      sum += PairWithContour(contours, points, i, radius).weight;
    }
    return sum;
  };
  const double at_rest = paired(placed);  // counts the limb's drawn points
  double best = at_rest + kMargin * drawn, turn = 0.0;
  for (int step = -o.limb_turn_steps; step <= o.limb_turn_steps; ++step) {
    if (step == 0) continue;
    const double angle = max_turn * step / o.limb_turn_steps;
    const double value = paired(TurnLimb(placed, limb, angle));
    if (value > best) {
      best = value;
      turn = angle;
    }
  }
  return turn;
}

// Where the drawing was cut off by its frame (drawn = 0), the object goes on past the
// drawing's ends: each end is followed along the image contours of its direction, up to
// `limit` pixels, and what is traced joins the box.
std::vector<cv::Point2d> TraceCutEnds(const ShapeModel& model,
                                      const std::vector<cv::Point2d>& outline,
                                      const OrientedContours& contours, double tolerance,
                                      double limit) {
  std::vector<cv::Point2d> traced;
  const int n = static_cast<int>(outline.size());
  if (!(limit > 0)) return traced;
  auto at = [&](int i) { return outline[static_cast<size_t>(((i % n) + n) % n)]; };
  auto drawn = [&](int i) { return model.drawn[static_cast<size_t>(((i % n) + n) % n)] != 0; };
  const double step = std::max(2.0, tolerance);
  for (int i = 0; i < n; ++i) {
    // Point i ends a drawn stretch (edge i - 1 drawn, edge i not) or starts one.
    int towards = 0;
    if (drawn(i - 1) && !drawn(i)) towards = -1;
    if (!drawn(i - 1) && drawn(i)) towards = 1;
    if (towards == 0) continue;
    cv::Point2d dir = at(i) - at(i + 2 * towards);
    if (cv::norm(dir) <= 0) continue;
    dir *= 1.0 / cv::norm(dir);
    cv::Point2d p = at(i);
    int misses = 0;
    for (double walked = 0; walked < limit && misses < 2; walked += step) {
      const cv::Point2d ahead = p + step * dir;
      if (!contours.Inside(ahead)) break;
      const int c = contours.Channel(dir);
      const cv::Point2d q(contours.Nearest(c, ahead));
      if (contours.Distance(c, ahead) <= tolerance && (q - p).dot(dir) > 0) {
        const cv::Point2d turn = (q - p) * (1.0 / cv::norm(q - p));
        dir = 0.5 * (dir + turn);
        dir *= 1.0 / std::max(1e-9, cv::norm(dir));
        p = q;
        traced.push_back(p);
        misses = 0;
      } else {
        p = ahead;
        ++misses;
      }
    }
  }
  return traced;
}

struct Verification {
  double support = 0.0;
  cv::Rect2d box;
};

// How far the closed contour turns at point i, over three points either side, radians in
// [0, pi].
double TurningAngle(const std::vector<cv::Point2d>& points, int i) {
  const int n = static_cast<int>(points.size());
  const cv::Point2d a = points[static_cast<size_t>((i + n - 3) % n)];
  const cv::Point2d b = points[static_cast<size_t>(i)];
  const cv::Point2d c = points[static_cast<size_t>((i + 3) % n)];
  const cv::Point2d u = b - a, v = c - b;
  return std::abs(std::atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y));
}

// The smallest and largest x and y of `points`.
std::array<double, 4> Bounds(const std::vector<cv::Point2d>& points) {
  std::array<double, 4> b = {1e300, 1e300, -1e300, -1e300};
  for (const cv::Point2d& q : points) {
    b[0] = std::min(b[0], q.x);
    b[1] = std::min(b[1], q.y);
    b[2] = std::max(b[2], q.x);
    b[3] = std::max(b[3], q.y);
  }
  return b;
}

// Support of a placed model: the fraction of its drawn points within the tolerance of a
// contour of their orientation, above what the clutter in its box gives by chance; a point
// counts 1 + curvature_weight x its turning angle in both.
Verification Verify(const ShapeModel& model, const std::vector<cv::Point2d>& placed,
                    double object_size, const OrientedContours& contours, const VerifyOptions& o) {
  Verification v;
  const auto [x0, y0, x1, y1] = Bounds(placed);
  v.box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
  const cv::Rect inside(cv::Point(cvFloor(x0), cvFloor(y0)), cv::Point(cvCeil(x1), cvCeil(y1)));
  const double tolerance = std::max(2.0, o.support_tolerance * object_size);
  const int n = static_cast<int>(model.points.size());
  std::array<double, OrientedContours::kBins> chance_of;
  chance_of.fill(-1.0);
  double near = 0.0, total = 0.0, chance = 0.0;
  for (int i = 0; i < n; ++i) {
    if (!model.drawn[static_cast<size_t>(i)]) continue;
    const double w = 1.0 + o.curvature_weight * TurningAngle(model.points, i);
    total += w;
    const cv::Point2d q = placed[static_cast<size_t>(i)];
    const int c = contours.Channel(placed[static_cast<size_t>((i + 1) % n)] -
                                   placed[static_cast<size_t>((i + n - 1) % n)]);
    if (chance_of[static_cast<size_t>(c)] < 0)
      chance_of[static_cast<size_t>(c)] = contours.NearFraction(c, inside, tolerance);
    chance += w * chance_of[static_cast<size_t>(c)];
    if (contours.Inside(q) && contours.Distance(c, q) <= tolerance) near += w;
  }
  if (!(total > 0)) return v;
  chance /= total;
  const double raw = near / total;
  v.support = chance < 1.0 ? std::max(0.0, (raw - chance) / (1.0 - chance)) : 0.0;
  return v;
}

// Of the pixels between `inner` and `outer` pixels outside the outline, the fraction on or
// next to a contour of any orientation. One distance transform over the outline's box.
double Surround(const std::vector<cv::Point2d>& outline, double inner, double outer,
                const OrientedContours& contours) {
  if (outline.size() < 3) return 0.0;
  const auto [x0, y0, x1, y1] = Bounds(outline);
  const int pad = static_cast<int>(std::ceil(outer)) + 2;
  const cv::Rect roi = cv::Rect(cv::Point(cvFloor(x0) - pad, cvFloor(y0) - pad),
                                cv::Point(cvCeil(x1) + pad, cvCeil(y1) + pad)) &
                       cv::Rect(cv::Point(0, 0), contours.size());
  if (roi.area() <= 0) return 0.0;
  cv::Mat inside(roi.size(), CV_8U, cv::Scalar(0));
  std::vector<cv::Point> polygon;
  polygon.reserve(outline.size());
  for (const cv::Point2d& q : outline)
    polygon.emplace_back(cvRound(q.x) - roi.x, cvRound(q.y) - roi.y);
  cv::fillPoly(inside, std::vector<std::vector<cv::Point>>{polygon}, cv::Scalar(255));
  cv::Mat distance;
  cv::distanceTransform(~inside, distance, cv::DIST_L2, cv::DIST_MASK_5);
  const cv::Mat band = (distance > inner) & (distance <= outer);
  const int total = cv::countNonZero(band);
  if (total == 0) return 0.0;
  return cv::countNonZero(band & contours.near_any()(roi)) / static_cast<double>(total);
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

HypothesisResult RunHypothesis(int index, const Hypothesis& h,
                               const std::vector<Candidate>& candidates,
                               const MultiscaleFragments& fragments, const FragmentForest& forest,
                               const OrientedContours& contours, const ShapeModel& model,
                               const Limb& limb, double model_size, const DetectOptions& o) {
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
    std::stable_sort(labels.begin(), labels.end(),
                     [](const Label& a, const Label& b) { return a.unary > b.unary; });
    if (labels.size() > static_cast<size_t>(po.max_labels))
      labels.resize(static_cast<size_t>(po.max_labels));
    ranked.emplace_back(labels.front().unary, f);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > static_cast<size_t>(po.max_fragments))
    ranked.resize(static_cast<size_t>(po.max_fragments));
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
    for (int k = 0, count = ArcPointCount(c.arc, n); k < count; ++k)
      covered[static_cast<size_t>((c.arc.start + k) % n)] = 1;
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
      for (int i = 0; i < n; ++i)
        placed[static_cast<size_t>(i)] = d.transform.Apply(model.points[static_cast<size_t>(i)]);
      double sum = 0;
      for (size_t k = 0; k < to.size(); ++k) {
        double best = 1e300;
        for (int i = 0; i < n; ++i) {
          const cv::Point2d a = placed[static_cast<size_t>(i)],
                            b = placed[static_cast<size_t>((i + 1) % n)];
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
    // Verification against the image: refine the placement onto the oriented contours,
    // then count the support of the placed model.
    Placement placement{d.transform, 1.0};
    const double max_angle = o.candidates.max_rotation_deg * CV_PI / 180.0;
    placement = RefinePlacement(model, placement, contours, model_size, max_angle, o.verify);
    d.transform = placement.similarity;
    d.stretch = placement.stretch;
    const double turn = BestLimbTurn(model, limb, Place(model, placement), contours,
                                     d.transform.scale * model_size, o.verify);
    const std::vector<cv::Point2d> articulated = TurnLimb(Place(model, placement), limb, turn);
    d.limb_turn_deg = turn * 180.0 / CV_PI;
    d.outline = DeformOutline(
        model, WarpOutline(model, articulated, contours, d.transform.scale * model_size, o.verify),
        contours, d.transform.scale * model_size, o.verify);
    const Verification v =
        Verify(model, d.outline, d.transform.scale * model_size, contours, o.verify);
    d.box = v.box;
    d.support = v.support;
    const double placed_size = d.transform.scale * model_size;
    for (const cv::Point2d& p : TraceCutEnds(
             model, d.outline, contours, std::max(2.0, o.verify.support_tolerance * placed_size),
             o.verify.cut_extension * placed_size)) {
      const double x0 = std::min(d.box.x, p.x), y0 = std::min(d.box.y, p.y);
      const double x1 = std::max(d.box.br().x, p.x), y1 = std::max(d.box.br().y, p.y);
      d.box = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);
    }
    if (o.verify.surround_weight > 0) {
      const double inner = 2.0 * std::max(2.0, o.verify.support_tolerance * placed_size);
      d.surround = Surround(d.outline, inner,
                            std::max(inner + 1.0, o.verify.surround_width * placed_size), contours);
    }
    d.score = d.coverage * d.support * std::pow(d.fit, o.verify.fit_weight) *
              std::pow(1.0 - d.surround, o.verify.surround_weight);
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
  MSRF_ASSIGN_OR_RETURN(MultiscaleLevelWork level_work,
                        RunMultiscaleLevels(image, edge_strength, options.fragments,
                                            options.candidates, variants, executor));
  const std::vector<std::vector<Candidate>> variant_candidates = std::move(level_work.candidates);
  timing.candidates_ms += level_work.candidates_ms;
  out.fragments = std::move(level_work.fragments);
  timing.fragments_ms = out.fragments.total_ms;
  out.summary.num_fragments = static_cast<int>(out.fragments.fragments.size());
  Clock::time_point t;  // the stages below time themselves with it

  const FragmentForest forest = FragmentForest::FromFragments(out.fragments.fragments);
  // The contours of the two finest levels by orientation, to verify detections against
  // (timed with the read-out).
  t = Clock::now();
  const OrientedContours contours(out.fragments.fragments, image.size(), 1,
                                  options.verify.oriented);
  timing.readout_ms += MsSince(t);

  const double model_size = std::max(model.bbox.width, model.bbox.height);
  std::vector<Detection> found;
  for (size_t v = 0; v < variants.size(); ++v) {
    const ShapeModel& variant = variants[v];
    const std::vector<Candidate>& candidates = variant_candidates[v];
    const Limb limb = FindLimb(variant);
    out.summary.num_candidates += static_cast<int>(candidates.size());

    t = Clock::now();
    const std::vector<Hypothesis> hypotheses =
        FindHypotheses(candidates, model_size, options.hypotheses);
    timing.hypotheses_ms += MsSince(t);
    const int first_hypothesis = out.summary.num_hypotheses;
    out.summary.num_hypotheses += static_cast<int>(hypotheses.size());

    std::vector<HypothesisResult> results(hypotheses.size());
    tbb::parallel_for(size_t{0}, hypotheses.size(), [&](size_t h) {
      results[h] =
          RunHypothesis(first_hypothesis + static_cast<int>(h), hypotheses[h], candidates,
                        out.fragments, forest, contours, variant, limb, model_size, options);
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
    for (const Detection& kept : out.detections)
      suppressed |= Suppresses(kept.box, d.box, options.nms_iou, options.nms_inside);
    if (!suppressed) out.detections.push_back(d);
  }
  timing.total_ms = MsSince(start);
  return out;
}

}  // namespace msrf
