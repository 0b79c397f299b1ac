// The random field of one hypothesis (docs/grouping.md): each fragment with candidates that
// agree with the hypothesis is a node labelled background or one of its best agreeing
// candidates; nodes nest as their fragments do; the field is collapsed tree by tree (append)
// and solved.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/field/append.h"
#include "msrf/field/multiscale_field.h"
#include "msrf/fragments/fragment.h"
#include "msrf/fragments/trees.h"
#include "msrf/grouping/candidates.h"
#include "msrf/grouping/detect.h"
#include "msrf/grouping/hypotheses.h"
#include "msrf/inference/solver.h"

namespace msrf {

// A candidate label of a fragment's node, with its unary: quality x agreement.
struct FieldLabel {
  const Candidate* c;
  double unary;
};

struct HypothesisField {
  // Per fragment with agreeing candidates, the best of them (at most max_labels), best first.
  std::map<int, std::vector<FieldLabel>> labels;
  // The fragments in the field (those with the best labels, at most max_fragments),
  // increasing.
  std::vector<int> kept;
  MultiscaleField field;
  std::map<int, int> node_of;  // fragment id -> node of `field`
};

// The candidates that agree with `h` (centre within centre_tolerance x `size`, scale within
// scale_tolerance), grouped by fragment, and the fragments kept. `size`: the object's size
// in the image under `h`. The field is left empty.
HypothesisField SelectLabels(const std::vector<Candidate>& candidates, const Hypothesis& h,
                             double size, const HypothesisOptions& ho, const PotentialOptions& po);

// Builds hf->field: one node per kept fragment, parents where the fragment's parent is kept
// too, and an edge between any two kept fragments that may both lie in a cut. `model_points`:
// the model's point count.
Status BuildField(const std::vector<Fragment>& fragments, const FragmentForest& forest,
                  int model_points, double size, const PotentialOptions& po, HypothesisField* hf);

// The solver for hypothesis `hypothesis` (MCMC is seeded with DeriveSeed(o.seed, hypothesis)).
Result<std::unique_ptr<Solver>> MakeSolver(const DetectOptions& o, int hypothesis);

// Solves the appended field: the state of every node of the multiscale field.
Result<std::vector<int>> SolveField(const AppendedField& appended, const DetectOptions& o,
                                    int hypothesis);

}  // namespace msrf
