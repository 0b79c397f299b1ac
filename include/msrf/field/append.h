// The append operator: maps the nodes of each tree of a MultiscaleField to ONE variable, so
// the multiscale field becomes an ordinary RandomField that any solver can take.
//
// Appended variable t stands for tree t (trees ordered by root id). Its labels are the
// consistent joint labellings of the tree (a cut plus a label per cut node, see
// multiscale_field.h), enumerated bottom-up: a node's list is "the node labelled a" for
// a = 0..L-1, followed by the combinations of its children's lists (the node split).
//   - Appended unary of a tree labelling = sum of the cut nodes' unaries + the pairwise terms
//     of the edges between cut nodes of that tree.
//   - Appended pairwise between trees T and U at labels (alpha, beta) = the MEAN of
//     r_fg(x_f, x_g) over the edges (f, g) with f in cut(alpha), g in cut(beta); 0 when no
//     such edge. An appended edge exists when any node of T has an edge to a node of U.
// Hence for every consistent labelling x: MultiscaleField::Score(x) ==
// appended.field.Score(Encode(x)) (up to float rounding of the stored terms).
//
// Pruning: when a node's list would exceed max_labels_per_tree, only that many are kept,
// those with the highest partial appended unary (ties: earlier in enumeration order), in
// enumeration order. This is a beam: exact when no list hits the limit, which the summary
// reports. Without pruning, appended label a < L_root means "root labelled a".
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/field/multiscale_field.h"
#include "msrf/field/random_field.h"

namespace msrf {

struct AppendOptions {
  // Most labels kept per tree (and per intermediate node list), in [1, 65536]. Combining
  // two children's lists costs the product of their sizes, so keep it in the hundreds for
  // trees with many branches. 512 is a generic default, not tuned: it keeps every labelling
  // of a node and two leaf children of up to 22 labels each (L + L^2 of them), while an
  // appended edge's block stays at most 512 x 512 floats (1 MiB). Detect, which solves one
  // field per hypothesis, uses a narrower beam (DetectOptions::append).
  int max_labels_per_tree = 512;

  Status Validate() const;
};

struct AppendSummary {
  int num_trees = 0;
  int num_pruned_trees = 0;  // trees whose label space was cut by max_labels_per_tree
  bool pruned = false;       // false: the appended label spaces are exact
  int64_t total_labels = 0;  // sum over trees of their appended label counts
  int max_tree_labels = 0;   // the largest appended label count
  int num_edges = 0;         // appended edges (tree pairs with any pairwise term)
  double wall_time_seconds = 0.0;
};

// One appended label: a cut of the tree and a label per cut node.
struct TreeLabelling {
  std::vector<int> cut;     // cut nodes, increasing ids
  std::vector<int> labels;  // labels[k] is the label of cut[k]
};

struct AppendedField {
  RandomField field;                                    // one variable per tree
  int num_nodes = 0;                                    // of the multiscale field
  MultiscaleForest forest;                              // tree t is variable t
  std::vector<std::vector<TreeLabelling>> tree_labels;  // [tree][appended label]
  AppendSummary summary;

  // Every node's state (label, kSplitState or kCoveredState) for an appended labelling;
  // fails when the labelling is not valid for `field`.
  Result<std::vector<int>> Decode(const std::vector<int>& appended_labelling) const;
  // Writes the states of tree `tree`'s nodes for its appended label `label` into `states`
  // (indexed by node id, size num_nodes); other entries are left alone.
  void DecodeTree(int tree, int label, std::vector<int>& states) const;
  // The appended labelling of a multiscale labelling. kInvalidArgument when `states` is not
  // consistent (an inconsistent labelling has no image), kNotFound when it is consistent but
  // one of its tree labellings was pruned.
  Result<std::vector<int>> Encode(const std::vector<int>& states) const;

  // Key: the (node, label) pairs of a tree labelling, flattened; value: its appended label.
  std::vector<std::map<std::vector<int>, int>> label_index;
  // Per node: its parent (-1 for roots) and label count, for checking consistency.
  std::vector<int> node_parent;
  std::vector<int> node_num_labels;
};

// Appends `field` (validated first; its errors are returned as they are).
Result<AppendedField> Append(const MultiscaleField& field, const AppendOptions& options = {});

}  // namespace msrf
