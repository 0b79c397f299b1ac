#include "msrf/field/multiscale_field.h"

#include <map>
#include <string>
#include <utility>

namespace msrf {

int MultiscaleField::AddNode(int level, std::vector<float> unary) {
  level_.push_back(level);
  parent_.push_back(-1);
  return potentials_.AddVariable(std::move(unary));
}

Status MultiscaleField::SetParent(int child, int parent) {
  const int n = num_nodes();
  if (child < 0 || child >= n) {
    return InvalidArgumentError("SetParent: child " + std::to_string(child) +
                                " is not a node id in [0, " + std::to_string(n) + ")");
  }
  if (parent < -1 || parent >= n) {
    return InvalidArgumentError("SetParent: parent " + std::to_string(parent) + " of node " +
                                std::to_string(child) + " is not a node id in [0, " +
                                std::to_string(n) + ") or -1");
  }
  parent_[child] = parent;
  return Status::Ok();
}

Status MultiscaleField::Validate() const {
  MSRF_RETURN_IF_ERROR(potentials_.Validate());
  const int n = num_nodes();
  for (int f = 0; f < n; ++f) {
    if (level_[f] < 0) {
      return InvalidArgumentError("node " + std::to_string(f) + " has negative level " +
                                  std::to_string(level_[f]));
    }
  }
  // Cycles first: a cycle breaks the level rule too, but "cycle" is the better message.
  // 0 = unvisited, 1 = on the current path, 2 = known to reach a root.
  std::vector<char> mark(static_cast<size_t>(n), 0);
  std::vector<int> path;
  for (int start = 0; start < n; ++start) {
    path.clear();
    int f = start;
    while (f >= 0 && mark[f] == 0) {
      mark[f] = 1;
      path.push_back(f);
      f = parent_[f];
    }
    if (f >= 0 && mark[f] == 1) {
      return InvalidArgumentError("the parent links form a cycle through node " +
                                  std::to_string(f));
    }
    for (int g : path) mark[g] = 2;
  }
  for (int f = 0; f < n; ++f) {
    const int p = parent_[f];
    if (p >= 0 && level_[p] != level_[f] + 1) {
      return InvalidArgumentError("parent " + std::to_string(p) + " of node " + std::to_string(f) +
                                  " is on level " + std::to_string(level_[p]) +
                                  ", expected level " + std::to_string(level_[f] + 1));
    }
  }
  return Status::Ok();
}

Result<MultiscaleForest> MultiscaleField::Forest() const {
  MSRF_RETURN_IF_ERROR(Validate());
  const int n = num_nodes();
  MultiscaleForest forest;
  forest.children.resize(static_cast<size_t>(n));
  forest.tree_of.assign(static_cast<size_t>(n), -1);
  for (int f = 0; f < n; ++f) {
    if (parent_[f] < 0) {
      forest.tree_of[f] = static_cast<int>(forest.roots.size());
      forest.roots.push_back(f);
    } else {
      forest.children[parent_[f]].push_back(f);
    }
  }
  for (int f = 0; f < n; ++f) {
    int r = f;
    while (parent_[r] >= 0) r = parent_[r];
    forest.tree_of[f] = forest.tree_of[r];
  }
  forest.tree_nodes.resize(forest.roots.size());
  for (int f = 0; f < n; ++f) forest.tree_nodes[forest.tree_of[f]].push_back(f);
  return forest;
}

Status MultiscaleField::CheckConsistent(const std::vector<int>& states) const {
  const int n = num_nodes();
  if (static_cast<int>(states.size()) != n) {
    return InvalidArgumentError("labelling has " + std::to_string(states.size()) +
                                " entries, the field has " + std::to_string(n) + " nodes");
  }
  std::vector<char> has_child(static_cast<size_t>(n), 0);
  for (int f = 0; f < n; ++f) {
    if (parent_[f] >= 0) has_child[parent_[f]] = 1;
  }
  for (int f = 0; f < n; ++f) {
    const int s = states[f];
    auto node_name = [f] { return "node " + std::to_string(f); };
    if (s != kSplitState && s != kCoveredState && (s < 0 || s >= num_labels(f))) {
      return InvalidArgumentError(node_name() + ": label " + std::to_string(s) +
                                  " is outside [0, " + std::to_string(num_labels(f)) +
                                  ") and is not a state");
    }
    if (s == kSplitState && !has_child[f]) {
      return InvalidArgumentError(node_name() + " is split but has no children");
    }
    const int p = parent_[f];
    if (p < 0) {
      if (s == kCoveredState)
        return InvalidArgumentError(node_name() + " is a root and is covered");
      continue;
    }
    const bool parent_split = states[p] == kSplitState;
    if (parent_split && s == kCoveredState) {
      return InvalidArgumentError(node_name() + " is covered but its parent " + std::to_string(p) +
                                  " is split");
    }
    if (!parent_split && s != kCoveredState) {
      return InvalidArgumentError(node_name() + " is not covered but its parent " +
                                  std::to_string(p) + " is labelled or covered");
    }
  }
  return Status::Ok();
}

Result<double> MultiscaleField::Score(const std::vector<int>& states) const {
  MSRF_ASSIGN_OR_RETURN(const MultiscaleForest forest, Forest());
  MSRF_RETURN_IF_ERROR(CheckConsistent(states));
  double score = 0.0;
  for (int f = 0; f < num_nodes(); ++f) {
    if (states[f] >= 0) score += potentials_.unary(f, states[f]);
  }
  // Between trees: sum and count per tree pair, then the mean.
  std::map<std::pair<int, int>, std::pair<double, int>> between;
  for (int e = 0; e < potentials_.num_edges(); ++e) {
    const RandomField::Edge& ed = potentials_.edge(e);
    const int sf = states[ed.first];
    const int sg = states[ed.second];
    if (sf < 0 || sg < 0) continue;
    const double r = potentials_.pairwise(e, sf, sg);
    const int tf = forest.tree_of[ed.first];
    const int tg = forest.tree_of[ed.second];
    if (tf == tg) {
      score += r;
    } else {
      auto& acc = between[{std::min(tf, tg), std::max(tf, tg)}];
      acc.first += r;
      acc.second += 1;
    }
  }
  for (const auto& entry : between) score += entry.second.first / entry.second.second;
  return score;
}

}  // namespace msrf
