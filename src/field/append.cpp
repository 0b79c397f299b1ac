#include "msrf/field/append.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "msrf/core/check.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

// A partial tree labelling during enumeration: (node, label) pairs and its appended unary
// restricted to those nodes.
struct Item {
  std::vector<std::pair<int, int>> cut;
  double score = 0.0;
};

// Keeps the `limit` best items (score descending, earlier first on ties) in their original
// order; returns whether anything was dropped.
bool Truncate(std::vector<Item>& items, int limit) {
  if (static_cast<int>(items.size()) <= limit) return false;
  std::vector<int> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::nth_element(order.begin(), order.begin() + limit, order.end(), [&](int x, int y) {
    if (items[x].score != items[y].score) return items[x].score > items[y].score;
    return x < y;
  });
  order.resize(static_cast<size_t>(limit));
  std::sort(order.begin(), order.end());
  std::vector<Item> kept;
  kept.reserve(order.size());
  for (int k : order) kept.push_back(std::move(items[k]));
  items = std::move(kept);
  return true;
}

class Enumerator {
 public:
  Enumerator(const MultiscaleField& field, const MultiscaleForest& forest, int limit)
      : field_(field),
        forest_(forest),
        limit_(limit),
        mark_(static_cast<size_t>(field.num_nodes()), -1) {}

  // The (possibly pruned) list of consistent labellings of the subtree of `node`.
  std::vector<Item> Labellings(int node) {
    const RandomField& pot = field_.potentials();
    std::vector<Item> own;
    own.reserve(static_cast<size_t>(pot.num_labels(node)));
    for (int a = 0; a < pot.num_labels(node); ++a) {
      own.push_back(Item{{{node, a}}, static_cast<double>(pot.unary(node, a))});
    }
    const auto& children = forest_.children[node];
    if (!children.empty()) {
      std::vector<Item> split = Labellings(children[0]);
      for (size_t c = 1; c < children.size(); ++c) {
        split = Combine(split, Labellings(children[c]));
        pruned_ |= Truncate(split, limit_);
      }
      for (Item& item : split) own.push_back(std::move(item));
    }
    pruned_ |= Truncate(own, limit_);
    return own;
  }

  bool pruned() const { return pruned_; }

 private:
  // Every pair (a, b) joined, scored with the pairwise terms between their cut nodes.
  std::vector<Item> Combine(const std::vector<Item>& left, const std::vector<Item>& right) {
    const RandomField& pot = field_.potentials();
    std::vector<Item> out;
    out.reserve(left.size() * right.size());
    for (const Item& a : left) {
      for (const auto& [node, label] : a.cut) mark_[node] = label;
      for (const Item& b : right) {
        double cross = 0.0;
        for (const auto& [node, label] : b.cut) {
          for (const RandomField::Incidence& inc : pot.Neighbors(node)) {
            const int other = mark_[inc.neighbor];
            if (other < 0) continue;
            cross += inc.is_first ? pot.pairwise(inc.edge, label, other)
                                  : pot.pairwise(inc.edge, other, label);
          }
        }
        Item joined;
        joined.cut.reserve(a.cut.size() + b.cut.size());
        joined.cut = a.cut;
        joined.cut.insert(joined.cut.end(), b.cut.begin(), b.cut.end());
        joined.score = a.score + b.score + cross;
        out.push_back(std::move(joined));
      }
      for (const auto& entry : a.cut) mark_[entry.first] = -1;
    }
    return out;
  }

  const MultiscaleField& field_;
  const MultiscaleForest& forest_;
  int limit_;
  std::vector<int> mark_;  // label of a node in the current left item, -1 otherwise
  bool pruned_ = false;
};

std::vector<int> Key(const TreeLabelling& t) {
  std::vector<int> key;
  key.reserve(2 * t.cut.size());
  for (size_t k = 0; k < t.cut.size(); ++k) {
    key.push_back(t.cut[k]);
    key.push_back(t.labels[k]);
  }
  return key;
}

}  // namespace

Status AppendOptions::Validate() const {
  return CheckRange("append.max_labels_per_tree", max_labels_per_tree, 1, 65536);
}

Result<AppendedField> Append(const MultiscaleField& field, const AppendOptions& options) {
  const Stopwatch watch;
  MSRF_RETURN_IF_ERROR(options.Validate());
  MSRF_ASSIGN_OR_RETURN(MultiscaleForest forest, field.Forest());
  const RandomField& pot = field.potentials();
  const int num_trees = static_cast<int>(forest.roots.size());

  AppendedField out;
  out.num_nodes = field.num_nodes();
  out.node_parent.resize(static_cast<size_t>(field.num_nodes()));
  out.node_num_labels.resize(static_cast<size_t>(field.num_nodes()));
  for (int f = 0; f < field.num_nodes(); ++f) {
    out.node_parent[f] = field.parent(f);
    out.node_num_labels[f] = field.num_labels(f);
  }
  out.tree_labels.resize(static_cast<size_t>(num_trees));
  out.label_index.resize(static_cast<size_t>(num_trees));
  AppendSummary& summary = out.summary;
  summary.num_trees = num_trees;

  // Label spaces and appended unaries.
  for (int t = 0; t < num_trees; ++t) {
    Enumerator enumerator(field, forest, options.max_labels_per_tree);
    std::vector<Item> items = enumerator.Labellings(forest.roots[t]);
    if (enumerator.pruned()) {
      summary.pruned = true;
      ++summary.num_pruned_trees;
    }
    std::vector<float> unary;
    unary.reserve(items.size());
    auto& labels = out.tree_labels[t];
    for (Item& item : items) {
      std::sort(item.cut.begin(), item.cut.end());
      TreeLabelling tl;
      for (const auto& [node, label] : item.cut) {
        tl.cut.push_back(node);
        tl.labels.push_back(label);
      }
      out.label_index[t].emplace(Key(tl), static_cast<int>(labels.size()));
      labels.push_back(std::move(tl));
      unary.push_back(static_cast<float>(item.score));
    }
    out.field.AddVariable(std::move(unary));
    summary.total_labels += static_cast<int64_t>(labels.size());
    summary.max_tree_labels = std::max(summary.max_tree_labels, static_cast<int>(labels.size()));
  }

  // Edges of the multiscale field between trees, grouped by tree pair (T < U).
  std::map<std::pair<int, int>, std::vector<int>> between;
  for (int e = 0; e < pot.num_edges(); ++e) {
    const int tf = forest.tree_of[pot.edge(e).first];
    const int tg = forest.tree_of[pot.edge(e).second];
    if (tf != tg) between[{std::min(tf, tg), std::max(tf, tg)}].push_back(e);
  }
  // Per tree and appended label: the label of every node (-1 off the cut).
  std::vector<int> local_index(static_cast<size_t>(field.num_nodes()), -1);
  for (int t = 0; t < num_trees; ++t) {
    for (size_t k = 0; k < forest.tree_nodes[t].size(); ++k) {
      local_index[forest.tree_nodes[t][k]] = static_cast<int>(k);
    }
  }
  std::vector<std::vector<int>> cut_labels(static_cast<size_t>(num_trees));
  for (int t = 0; t < num_trees; ++t) {
    const size_t n = forest.tree_nodes[t].size();
    cut_labels[t].assign(out.tree_labels[t].size() * n, -1);
    for (size_t a = 0; a < out.tree_labels[t].size(); ++a) {
      const TreeLabelling& tl = out.tree_labels[t][a];
      for (size_t k = 0; k < tl.cut.size(); ++k) {
        cut_labels[t][a * n + static_cast<size_t>(local_index[tl.cut[k]])] = tl.labels[k];
      }
    }
  }
  for (const auto& [trees, edges] : between) {
    const int tt = trees.first;
    const int tu = trees.second;
    const size_t nt = forest.tree_nodes[tt].size();
    const size_t nu = forest.tree_nodes[tu].size();
    const size_t lt = out.tree_labels[tt].size();
    const size_t lu = out.tree_labels[tu].size();
    std::vector<float> block(lt * lu, 0.0f);
    for (size_t a = 0; a < lt; ++a) {
      const int* xa = cut_labels[tt].data() + a * nt;
      for (size_t b = 0; b < lu; ++b) {
        const int* xb = cut_labels[tu].data() + b * nu;
        double sum = 0.0;
        int count = 0;
        for (int e : edges) {
          const RandomField::Edge& ed = pot.edge(e);
          // Orient the edge as (node of T, node of U).
          const bool first_in_t = forest.tree_of[ed.first] == tt;
          const int f = first_in_t ? ed.first : ed.second;
          const int g = first_in_t ? ed.second : ed.first;
          const int sf = xa[local_index[f]];
          const int sg = xb[local_index[g]];
          if (sf < 0 || sg < 0) continue;
          sum += first_in_t ? pot.pairwise(e, sf, sg) : pot.pairwise(e, sg, sf);
          ++count;
        }
        block[a * lu + b] = count > 0 ? static_cast<float>(sum / count) : 0.0f;
      }
    }
    MSRF_RETURN_IF_ERROR(out.field.AddEdge(tt, tu, block));
  }
  summary.num_edges = out.field.num_edges();
  out.forest = std::move(forest);
  summary.wall_time_seconds = watch.Seconds();
  return out;
}

void AppendedField::DecodeTree(int tree, int label, std::vector<int>& states) const {
  // Everything starts covered; cut nodes get their labels, their ancestors are split.
  for (int f : forest.tree_nodes[tree]) states[f] = kCoveredState;
  const TreeLabelling& tl = tree_labels[tree][label];
  for (size_t k = 0; k < tl.cut.size(); ++k) {
    states[tl.cut[k]] = tl.labels[k];
    for (int p = node_parent[tl.cut[k]]; p >= 0 && states[p] != kSplitState; p = node_parent[p]) {
      states[p] = kSplitState;
    }
  }
}

Result<std::vector<int>> AppendedField::Decode(const std::vector<int>& appended_labelling) const {
  MSRF_RETURN_IF_ERROR(field.CheckLabelling(appended_labelling));
  std::vector<int> states(static_cast<size_t>(num_nodes), kCoveredState);
  for (int t = 0; t < field.num_variables(); ++t) DecodeTree(t, appended_labelling[t], states);
  return states;
}

Result<std::vector<int>> AppendedField::Encode(const std::vector<int>& states) const {
  if (static_cast<int>(states.size()) != num_nodes) {
    return InvalidArgumentError("labelling has " + std::to_string(states.size()) +
                                " entries, the field has " + std::to_string(num_nodes) + " nodes");
  }
  // The same local rules as MultiscaleField::CheckConsistent.
  std::vector<char> has_child(static_cast<size_t>(num_nodes), 0);
  for (int f = 0; f < num_nodes; ++f) {
    if (node_parent[f] >= 0) has_child[node_parent[f]] = 1;
  }
  for (int f = 0; f < num_nodes; ++f) {
    const int s = states[f];
    const bool is_label = s >= 0 && s < node_num_labels[f];
    if (!is_label && s != kSplitState && s != kCoveredState) {
      return InvalidArgumentError("node " + std::to_string(f) + ": state " + std::to_string(s) +
                                  " is neither a label nor split nor covered");
    }
    if (s == kSplitState && !has_child[f]) {
      return InvalidArgumentError("node " + std::to_string(f) + " is split but has no children");
    }
    const int p = node_parent[f];
    const bool ok = p < 0 ? s != kCoveredState : (states[p] == kSplitState) == (s != kCoveredState);
    if (!ok) {
      return InvalidArgumentError("node " + std::to_string(f) +
                                  ": state is inconsistent with its parent's");
    }
  }
  std::vector<int> appended(forest.roots.size(), -1);
  for (size_t t = 0; t < forest.roots.size(); ++t) {
    std::vector<int> key;
    for (int f : forest.tree_nodes[t]) {
      if (states[f] >= 0) {
        key.push_back(f);
        key.push_back(states[f]);
      }
    }
    auto it = label_index[t].find(key);
    if (it == label_index[t].end()) {
      return NotFoundError("the labelling of tree " + std::to_string(t) +
                           " was pruned from the appended label space");
    }
    appended[t] = it->second;
  }
  return appended;
}

}  // namespace msrf
