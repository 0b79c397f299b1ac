// MultiscaleField: random variables (nodes) on pyramid levels, linked across levels into a
// forest, with unaries and block-sparse pairwise terms between any two nodes.
//
// Forest: a node's parent lies on level + 1; a node without a parent is a root; a tree is
// a root and its descendants (one piece of data seen at several scales).
//
// Consistency: a tree is explained at exactly one scale per part. A joint labelling of a
// tree is a CUT C (the root alone, or recursively a cut of each child of the root) plus a
// label in [0, L_f) for each cut node f. Every node then has a state:
//   - a label >= 0 for cut nodes,
//   - kSplitState for nodes above the cut (their children carry the labels),
//   - kCoveredState for nodes below the cut (explained by an ancestor's label).
// Equivalently, for every parent p and child c the pair (state p, state c) is one of
// (split, label), (split, split), (label, covered), (covered, covered); a root is never
// covered and a leaf is never split. These rules are all that ties levels together here;
// a user that needs finer rules (e.g. a child's label must be a sub-arc of its parent's)
// expresses them through the potentials.
//
// Score of a consistent labelling x (higher is better; energy = -score):
//   S(x) = sum_{f in cut} u_f(x_f)
//        + sum_{edges (f, g) in one tree, both in the cut} r_fg(x_f, x_g)
//        + sum_{pairs of trees T < U} mean_{edges (f, g), f in cut(T), g in cut(U)} r_fg(x_f, x_g)
// where a mean over no edges is 0. The mean (not the sum) keeps fine cuts from collecting
// more pairwise terms than coarse ones; it is also exactly what the appended field scores
// (see append.h), so S(x) == append(x)'s score for every consistent x.
#pragma once

#include <vector>

#include "msrf/core/status.h"
#include "msrf/field/random_field.h"

namespace msrf {

// Node states that are not labels.
inline constexpr int kSplitState = -1;
inline constexpr int kCoveredState = -2;

// The forest of a valid MultiscaleField.
struct MultiscaleForest {
  std::vector<int> roots;                    // increasing node ids; tree t has root roots[t]
  std::vector<std::vector<int>> children;    // per node, increasing ids
  std::vector<int> tree_of;                  // per node, its tree index
  std::vector<std::vector<int>> tree_nodes;  // per tree, its nodes in increasing id order
};

class MultiscaleField {
 public:
  // Adds a node on `level` whose label count is unary.size(); returns its id (0, 1, ...).
  int AddNode(int level, std::vector<float> unary);
  // Makes `parent` the parent of `child` (replacing any earlier parent); parent == -1 makes
  // `child` a root. Level and cycle rules are checked by Validate().
  Status SetParent(int child, int parent);
  // Pairwise block between any two nodes, row-major num_labels(i) x num_labels(j); see
  // RandomField::AddEdge.
  Status AddEdge(int i, int j, const std::vector<float>& block) {
    return potentials_.AddEdge(i, j, block);
  }

  int num_nodes() const { return potentials_.num_variables(); }
  int level(int node) const { return level_[node]; }
  int parent(int node) const { return parent_[node]; }
  int num_labels(int node) const { return potentials_.num_labels(node); }
  // Unaries and pairwise terms of the nodes, as a plain field over nodes.
  const RandomField& potentials() const { return potentials_; }

  // Checks the potentials (RandomField::Validate), levels >= 0, and the forest: no cycle in
  // the parent links, and every parent on its child's level + 1.
  Status Validate() const;
  // The forest; fails like Validate() on a bad forest.
  Result<MultiscaleForest> Forest() const;

  // Checks `states` (one per node: a label, kSplitState or kCoveredState) is a consistent
  // labelling; the message names the first offending node.
  Status CheckConsistent(const std::vector<int>& states) const;
  // S(states) as defined above; fails on an invalid field or an inconsistent labelling.
  Result<double> Score(const std::vector<int>& states) const;

 private:
  RandomField potentials_;
  std::vector<int> level_;
  std::vector<int> parent_;
};

}  // namespace msrf
