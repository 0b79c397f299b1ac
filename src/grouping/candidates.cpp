#include "msrf/grouping/candidates.h"

#include <algorithm>
#include <cmath>

#include "msrf/core/check.h"
#include "msrf/core/parallel.h"

namespace msrf {

Status CandidateOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("candidates.samples", samples, 4, 64));
  MSRF_RETURN_IF_ERROR(
      CheckRange("candidates.arc_start_step", arc_start_step, 1, std::numeric_limits<int>::max()));
  if (arc_fractions.empty()) return InvalidArgumentError("candidates.arc_fractions is empty");
  for (double f : arc_fractions) {
    MSRF_RETURN_IF_ERROR(
        CheckRange("candidates.arc_fractions", f, 0.0, 1.0, Bound::kOpen, Bound::kOpen));
  }
  MSRF_RETURN_IF_ERROR(CheckRange("candidates.max_rotation_deg", max_rotation_deg, 0.0, 180.0));
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("candidates.min_object_size", min_object_size));
  MSRF_RETURN_IF_ERROR(CheckRange("candidates.max_object_size", max_object_size, 0.0, kNoLimit));
  if (max_object_size > 0.0 && max_object_size < min_object_size) {
    return InvalidArgumentError(
        "candidates.max_object_size must be 0 (no limit) or >= min_object_size");
  }
  MSRF_RETURN_IF_ERROR(CheckFinitePositive("candidates.fit_sigma", fit_sigma));
  MSRF_RETURN_IF_ERROR(
      CheckRange("candidates.min_quality", min_quality, 0.0, 1.0, Bound::kClosed, Bound::kOpen));
  MSRF_RETURN_IF_ERROR(CheckRange("candidates.max_per_fragment", max_per_fragment, 1, 256));
  return CheckRange("candidates.min_fragment_length", min_fragment_length, 2.0, 10000.0);
}

Similarity FitSimilarity(const std::vector<cv::Point2d>& from, const std::vector<cv::Point2d>& to,
                         double* rms) {
  const size_t n = std::min(from.size(), to.size());
  cv::Point2d mf(0, 0), mt(0, 0);
  for (size_t i = 0; i < n; ++i) {
    mf += from[i];
    mt += to[i];
  }
  mf *= 1.0 / n;
  mt *= 1.0 / n;
  // z = sum conj(a) b / sum |a|^2 over centred points, as complex numbers.
  double re = 0, im = 0, norm = 0;
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d a = from[i] - mf, b = to[i] - mt;
    re += a.x * b.x + a.y * b.y;
    im += a.x * b.y - a.y * b.x;
    norm += a.x * a.x + a.y * a.y;
  }
  Similarity t;
  if (norm > 0) {
    t.scale = std::hypot(re, im) / norm;
    t.angle = std::atan2(im, re);
  }
  const double c = std::cos(t.angle), s = std::sin(t.angle);
  t.translation =
      mt - cv::Point2d(t.scale * (c * mf.x - s * mf.y), t.scale * (s * mf.x + c * mf.y));
  if (rms != nullptr) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
      const cv::Point2d d = t.Apply(from[i]) - to[i];
      sum += d.dot(d);
    }
    *rms = std::sqrt(sum / n);
  }
  return t;
}

int ArcPointCount(const ModelArc& arc, int num_points) {
  return ((arc.end - arc.start) % num_points + num_points) % num_points + 1;
}

std::vector<cv::Point2d> SampleArc(const ShapeModel& model, const ModelArc& arc, int samples) {
  const int n = static_cast<int>(model.points.size());
  const int count = ArcPointCount(arc, n);
  std::vector<cv::Point2d> out;
  out.reserve(static_cast<size_t>(samples));
  for (int k = 0; k < samples; ++k) {
    // The model is sampled at a constant step, so arc length is proportional to index.
    const double t = (count - 1) * static_cast<double>(k) / (samples - 1);
    const int i = static_cast<int>(std::floor(t));
    const double f = t - i;
    const cv::Point2d& a = model.points[static_cast<size_t>((arc.start + i) % n)];
    const cv::Point2d& b =
        model.points[static_cast<size_t>((arc.start + std::min(i + 1, count - 1)) % n)];
    out.push_back(a + f * (b - a));
  }
  return out;
}

std::vector<cv::Point2d> SamplePolyline(const std::vector<cv::Point2f>& polyline, int samples) {
  std::vector<double> cumulative(polyline.size(), 0.0);
  for (size_t i = 1; i < polyline.size(); ++i) {
    cumulative[i] = cumulative[i - 1] + cv::norm(polyline[i] - polyline[i - 1]);
  }
  const double total = cumulative.back();
  std::vector<cv::Point2d> out;
  size_t seg = 0;
  for (int k = 0; k < samples; ++k) {
    const double s = total * k / (samples - 1);
    while (seg + 2 < polyline.size() && cumulative[seg + 1] < s) ++seg;
    const double len = polyline.size() > 1 ? cumulative[seg + 1] - cumulative[seg] : 0.0;
    const double t = len > 0 ? std::clamp((s - cumulative[seg]) / len, 0.0, 1.0) : 0.0;
    const cv::Point2d a = polyline[seg];
    const cv::Point2d b = polyline[std::min(seg + 1, polyline.size() - 1)];
    out.push_back(a + t * (b - a));
  }
  return out;
}

namespace {

struct ArcTemplate {
  ModelArc arc;
  bool reversed = false;
  double fraction = 0.0;
  std::vector<cv::Point2d> points;  // sampled, in the fragment's walking order
  // What FitSimilarity computes of `points` alone, once per template: their mean, the
  // points about it, and the sum of their squared lengths.
  cv::Point2d mean;
  std::vector<cv::Point2d> centred;
  double norm = 0.0;
};

// The mean of `points` and the points about it, summed and scaled as FitSimilarity does.
cv::Point2d Centre(const std::vector<cv::Point2d>& points, std::vector<cv::Point2d>* centred) {
  cv::Point2d mean(0, 0);
  for (const cv::Point2d& p : points) mean += p;
  mean *= 1.0 / points.size();
  centred->clear();
  for (const cv::Point2d& p : points) centred->push_back(p - mean);
  return mean;
}

void CentreTemplate(ArcTemplate& t) {
  t.mean = Centre(t.points, &t.centred);
  t.norm = 0;
  for (const cv::Point2d& a : t.centred) t.norm += a.x * a.x + a.y * a.y;
}

std::vector<ArcTemplate> ArcTemplates(const ShapeModel& model, const CandidateOptions& options) {
  const int n = static_cast<int>(model.points.size());
  std::vector<ArcTemplate> templates;
  for (double fraction : options.arc_fractions) {
    const int count = std::max(3, static_cast<int>(std::lround(fraction * n)) + 1);
    for (int start = 0; start < n; start += options.arc_start_step) {
      const ModelArc arc{start, (start + count - 1) % n};
      // Arcs mostly along a stretch the frame closed are not matched: no edge lies there.
      int drawn = 0;
      for (int k = 0; k < count; ++k) drawn += model.drawn[static_cast<size_t>((start + k) % n)];
      if (drawn < 0.8 * count) continue;
      std::vector<cv::Point2d> pts = SampleArc(model, arc, options.samples);
      templates.push_back({arc, false, fraction, pts, {}, {}, 0.0});
      std::reverse(pts.begin(), pts.end());
      templates.push_back({arc, true, fraction, std::move(pts), {}, {}, 0.0});
      CentreTemplate(templates[templates.size() - 2]);
      CentreTemplate(templates.back());
    }
  }
  return templates;
}

}  // namespace

std::vector<Candidate> FindCandidates(const std::vector<Fragment>& fragments,
                                      const ShapeModel& model, cv::Size image_size,
                                      const CandidateOptions& options) {
  const std::vector<ArcTemplate> templates = ArcTemplates(model, options);
  const double model_size = std::max(model.bbox.width, model.bbox.height);
  const double max_size = options.max_object_size > 0
                              ? options.max_object_size
                              : static_cast<double>(std::max(image_size.width, image_size.height));
  const double min_scale = options.min_object_size / model_size;
  const double max_scale = max_size / model_size;
  const double max_angle = options.max_rotation_deg * CV_PI / 180.0;

  std::vector<std::vector<Candidate>> per_fragment(fragments.size());
  ParallelForChunks(0, fragments.size(), 8, [&](size_t begin, size_t end) {
    for (size_t fi = begin; fi != end; ++fi) {
      const Fragment& f = fragments[fi];
      if (f.length < options.min_fragment_length || f.resampled.size() < 2) continue;
      const std::vector<cv::Point2d> b = SamplePolyline(f.resampled, options.samples);
      std::vector<cv::Point2d> b_centred;
      const cv::Point2d b_mean = Centre(b, &b_centred);
      std::vector<Candidate>& out = per_fragment[fi];
      for (const ArcTemplate& t : templates) {
        // The scale the lengths imply must be possible before anything is fitted.
        const double length_scale = f.length / (t.fraction * model.perimeter);
        if (length_scale < 0.8 * min_scale || length_scale > 1.25 * max_scale) continue;
        // FitSimilarity(t.points, b), step by step with the template's part done once, and
        // each test as soon as its number is known (the same numbers, bit for bit).
        Similarity s;
        double rms = 0;
        if (t.norm > 0 && t.points.size() == b.size()) {
          double re = 0, im = 0;
          for (size_t i = 0; i < b.size(); ++i) {
            const cv::Point2d& a = t.centred[i];
            const cv::Point2d& q = b_centred[i];
            re += a.x * q.x + a.y * q.y;
            im += a.x * q.y - a.y * q.x;
          }
          s.scale = std::hypot(re, im) / t.norm;
          if (s.scale < min_scale || s.scale > max_scale) continue;
          if (std::abs(std::log(s.scale / length_scale)) > 0.25) continue;
          s.angle = std::atan2(im, re);
          if (std::abs(s.angle) > max_angle) continue;
          const double c = std::cos(s.angle), sn = std::sin(s.angle);
          s.translation = b_mean - cv::Point2d(s.scale * (c * t.mean.x - sn * t.mean.y),
                                               s.scale * (sn * t.mean.x + c * t.mean.y));
          double sum = 0;
          for (size_t i = 0; i < b.size(); ++i) {
            const cv::Point2d& p = t.points[i];
            const cv::Point2d d(s.scale * (c * p.x - sn * p.y) + s.translation.x - b[i].x,
                                s.scale * (sn * p.x + c * p.y) + s.translation.y - b[i].y);
            sum += d.x * d.x + d.y * d.y;
          }
          rms = std::sqrt(sum / static_cast<double>(b.size()));
        } else {
          s = FitSimilarity(t.points, b, &rms);
          if (std::abs(s.angle) > max_angle || s.scale < min_scale || s.scale > max_scale) continue;
          // Procrustes may shrink a curve onto a straighter one; the lengths must agree too.
          if (std::abs(std::log(s.scale / length_scale)) > 0.25) continue;
        }
        const double e = rms / f.length / options.fit_sigma;
        const double q = std::exp(-e * e);
        if (q < options.min_quality) continue;
        Candidate c;
        c.fragment = f.id;
        c.arc = t.arc;
        c.reversed = t.reversed;
        c.transform = s;
        c.quality = q;
        c.centre = s.Apply(model.centroid);
        c.arc_fraction = t.fraction;
        out.push_back(c);
      }
      std::stable_sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) {
        return x.quality > y.quality;
      });
      if (out.size() > static_cast<size_t>(options.max_per_fragment)) {
        out.resize(static_cast<size_t>(options.max_per_fragment));
      }
    }
  });
  std::vector<Candidate> all;
  for (auto& v : per_fragment) all.insert(all.end(), v.begin(), v.end());
  return all;
}

}  // namespace msrf
