#include "msrf/grouping/hypothesis_field.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "msrf/core/random.h"

namespace msrf {
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

// The pairwise block of two kept fragments' nodes: background is compatible with anything
// by background_pairwise; two candidates by the agreement of their transforms, less the
// overlap of their model arcs.
std::vector<float> PairwiseBlock(const std::vector<FieldLabel>& li,
                                 const std::vector<FieldLabel>& lj, int n, double size,
                                 const PotentialOptions& po) {
  const float bg = static_cast<float>(po.background_pairwise);
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
  return block;
}

}  // namespace

HypothesisField SelectLabels(const std::vector<Candidate>& candidates, const Hypothesis& h,
                             double size, const HypothesisOptions& ho, const PotentialOptions& po) {
  // Agreeing candidates, grouped by fragment (candidates come ordered by fragment id).
  HypothesisField hf;
  std::map<int, std::vector<FieldLabel>>& by_fragment = hf.labels;
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
                     [](const FieldLabel& a, const FieldLabel& b) { return a.unary > b.unary; });
    if (labels.size() > static_cast<size_t>(po.max_labels))
      labels.resize(static_cast<size_t>(po.max_labels));
    ranked.emplace_back(labels.front().unary, f);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  if (ranked.size() > static_cast<size_t>(po.max_fragments))
    ranked.resize(static_cast<size_t>(po.max_fragments));
  std::vector<int>& kept = hf.kept;
  for (const auto& r : ranked) kept.push_back(r.second);
  std::sort(kept.begin(), kept.end());
  return hf;
}

Status BuildField(const std::vector<Fragment>& fragments, const FragmentForest& forest,
                  int model_points, double size, const PotentialOptions& po, HypothesisField* hf) {
  const int n = model_points;
  MultiscaleField& field = hf->field;
  std::map<int, int>& node_of = hf->node_of;
  std::map<int, std::vector<FieldLabel>>& by_fragment = hf->labels;
  const std::vector<int>& kept = hf->kept;
  for (int f : kept) {
    std::vector<float> unary = {static_cast<float>(po.background_unary)};
    for (const FieldLabel& l : by_fragment[f]) unary.push_back(static_cast<float>(l.unary));
    node_of[f] = field.AddNode(fragments[static_cast<size_t>(f)].level, std::move(unary));
  }
  for (int f : kept) {
    const int p = fragments[static_cast<size_t>(f)].parent;
    if (p >= 0 && node_of.count(p)) MSRF_RETURN_IF_ERROR(field.SetParent(node_of[f], node_of[p]));
  }
  auto is_ancestor = [&](int a, int b) {  // fragment a is an ancestor of fragment b
    for (int x = fragments[static_cast<size_t>(b)].parent; x >= 0;
         x = fragments[static_cast<size_t>(x)].parent) {
      if (x == a) return true;
    }
    return false;
  };
  for (size_t i = 0; i < kept.size(); ++i) {
    for (size_t j = i + 1; j < kept.size(); ++j) {
      const int fi = kept[i], fj = kept[j];
      if (forest.root_of[static_cast<size_t>(fi)] == forest.root_of[static_cast<size_t>(fj)] &&
          (is_ancestor(fi, fj) || is_ancestor(fj, fi))) {
        continue;  // never both in a cut
      }
      MSRF_RETURN_IF_ERROR(field.AddEdge(
          node_of[fi], node_of[fj], PairwiseBlock(by_fragment[fi], by_fragment[fj], n, size, po)));
    }
  }
  return Status::Ok();
}

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

Result<std::vector<int>> SolveField(const AppendedField& appended, const DetectOptions& o,
                                    int hypothesis) {
  MSRF_ASSIGN_OR_RETURN(std::unique_ptr<Solver> solver, MakeSolver(o, hypothesis));
  MSRF_ASSIGN_OR_RETURN(Solution solution, solver->Solve(appended.field));
  return appended.Decode(solution.labelling);
}

}  // namespace msrf
