// Trees across levels: a fragment at level l is the child of the fragment at level l + 1
// that it runs along (most of its points lie within `tolerance` of it). Each child takes its
// best parent only, and parents are always one level coarser, so the links form a forest.
//
// The forest is kept as parent ids (Fragment::parent) plus the child lists built here. It is
// not a Boost.Graph: every query made of it (parent, children, root, tree members) is a
// lookup in these arrays, and acyclicity holds by construction; an adjacency_list would add
// a copy of the links and nothing they need.
#pragma once

#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/fragment.h"

namespace msrf {

// The method's rule: a child runs along its parent when most of its points lie within a few
// pixels of the parent's level. Not swept on a dataset.
struct TreeOptions {
  // How far a child's points may lie from its parent, in pixels of the parent's level,
  // in (0, 50]. A larger tolerance links contours that merely run side by side; a smaller one
  // loses links where a level's edges move by a pixel or two.
  double tolerance = 2.0;
  // The fraction of a child's resampled points that must lie within `tolerance` of the
  // parent, in (0, 1]: "most". A higher fraction loses children whose ends run on past
  // their parent's; a lower one links children that only touch it.
  double min_coverage = 0.6;

  Status Validate() const;
};

// Sets Fragment::parent of every fragment. `fragments` is indexed by id; `level_scales[l]`
// is the relative size of level l. Fragments of the coarsest level stay roots.
void LinkAcrossLevels(std::vector<Fragment>& fragments, const std::vector<double>& level_scales,
                      const TreeOptions& options);

// The forest the parent links form.
struct FragmentForest {
  std::vector<int> parent;                 // per fragment id, -1 for roots
  std::vector<std::vector<int>> children;  // per fragment id, increasing ids
  std::vector<int> roots;                  // increasing ids
  std::vector<int> root_of;                // per fragment id, the root of its tree

  static FragmentForest FromFragments(const std::vector<Fragment>& fragments);
};

}  // namespace msrf
