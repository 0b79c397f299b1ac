#include "msrf/grouping/group_fit.h"

#include <algorithm>
#include <cmath>

#include "msrf/grouping/candidates.h"

namespace msrf {
namespace {

// Pairs every point of `to` with the nearest point of the model's contour placed by
// `transform`, writing that point in model units to model_pairs[k]; the sum of the squared
// distances.
double PairWithPlacedModel(const ShapeModel& model, const Similarity& transform,
                           const std::vector<cv::Point2d>& to,
                           std::vector<cv::Point2d>& model_pairs) {
  const int n = static_cast<int>(model.points.size());
  std::vector<cv::Point2d> placed(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    placed[static_cast<size_t>(i)] = transform.Apply(model.points[static_cast<size_t>(i)]);
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
  return sum;
}

}  // namespace

Group ReadGroup(const HypothesisField& hf, const std::vector<int>& states,
                const std::vector<Fragment>& fragments, const ShapeModel& model, int samples) {
  const int n = static_cast<int>(model.points.size());
  Group g;
  g.covered.assign(static_cast<size_t>(n), 0);
  for (int f : hf.kept) {
    const int state = states[static_cast<size_t>(hf.node_of.at(f))];
    if (state < 1) continue;
    const Candidate& c = *hf.labels.at(f)[static_cast<size_t>(state - 1)].c;
    g.fragments.push_back(f);
    g.model_arcs.push_back(c.arc);
    std::vector<cv::Point2d> arc = SampleArc(model, c.arc, samples);
    if (c.reversed) std::reverse(arc.begin(), arc.end());
    const std::vector<cv::Point2d> pts =
        SamplePolyline(fragments[static_cast<size_t>(f)].resampled, samples);
    g.from.insert(g.from.end(), arc.begin(), arc.end());
    g.to.insert(g.to.end(), pts.begin(), pts.end());
    for (int k = 0, count = ArcPointCount(c.arc, n); k < count; ++k)
      g.covered[static_cast<size_t>((c.arc.start + k) % n)] = 1;
  }
  return g;
}

GroupFit FitGroup(const ShapeModel& model, const Group& group, double model_size,
                  double fit_sigma) {
  const int n = static_cast<int>(model.points.size());
  GroupFit out;
  out.transform = FitSimilarity(group.from, group.to);
  double rms = 0;
  std::vector<cv::Point2d> model_pairs(group.to.size());
  for (int round = 0; round < 4; ++round) {
    const double sum = PairWithPlacedModel(model, out.transform, group.to, model_pairs);
    rms = std::sqrt(sum / static_cast<double>(group.to.size()));
    if (round < 3) out.transform = FitSimilarity(model_pairs, group.to);
  }
  const double object_size = out.transform.scale * model_size;
  const double e = rms / object_size / fit_sigma;
  out.fit = std::exp(-e * e);
  int drawn = 0, hit = 0;
  for (int i = 0; i < n; ++i) {
    drawn += model.drawn[static_cast<size_t>(i)];
    hit += model.drawn[static_cast<size_t>(i)] && group.covered[static_cast<size_t>(i)];
  }
  out.coverage = drawn > 0 ? static_cast<double>(hit) / drawn : 0.0;
  return out;
}

}  // namespace msrf
