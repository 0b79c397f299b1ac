// Random fields for the field and inference tests, all drawn from a seeded msrf::Rng.
#pragma once

#include <vector>

#include "msrf/core/random.h"
#include "msrf/field/multiscale_field.h"
#include "msrf/field/random_field.h"

namespace msrf::testing {

// Short names for a node's two non-label states, for tables of expected labellings.
inline constexpr int S = kSplitState;
inline constexpr int C = kCoveredState;

struct RandomFieldSpec {
  int num_variables = 6;
  int min_labels = 2;
  int max_labels = 3;
  double edge_probability = 0.5;
  double unary_lo = -1.0, unary_hi = 1.0;
  double pairwise_lo = 0.0, pairwise_hi = 1.0;
};

inline std::vector<float> RandomValues(Rng& rng, size_t n, double lo, double hi) {
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(rng.Uniform(lo, hi));
  return v;
}

inline RandomField MakeRandomField(const RandomFieldSpec& spec, Rng& rng) {
  RandomField field;
  for (int i = 0; i < spec.num_variables; ++i) {
    const int labels = rng.UniformInt(spec.min_labels, spec.max_labels);
    field.AddVariable(RandomValues(rng, static_cast<size_t>(labels), spec.unary_lo, spec.unary_hi));
  }
  for (int i = 0; i < spec.num_variables; ++i) {
    for (int j = i + 1; j < spec.num_variables; ++j) {
      if (rng.Uniform() >= spec.edge_probability) continue;
      const size_t size = static_cast<size_t>(field.num_labels(i)) * field.num_labels(j);
      if (!field.AddEdge(i, j, RandomValues(rng, size, spec.pairwise_lo, spec.pairwise_hi)).ok()) {
        return {};
      }
    }
  }
  return field;
}

// A small random multiscale field: 1 to 3 trees of up to 3 levels, at most `max_nodes` nodes,
// 1 to 3 labels per node, random edges within and between trees (signed pairwise values).
inline MultiscaleField MakeRandomMultiscaleField(Rng& rng, int max_nodes = 6) {
  MultiscaleField field;
  const int num_trees = rng.UniformInt(1, 3);
  std::vector<int> frontier;
  for (int t = 0; t < num_trees && field.num_nodes() < max_nodes; ++t) {
    const int top = rng.UniformInt(0, 2);
    const int root =
        field.AddNode(top, RandomValues(rng, static_cast<size_t>(rng.UniformInt(1, 3)), -1, 1));
    frontier = {root};
    while (!frontier.empty() && field.num_nodes() < max_nodes) {
      const int p = frontier.back();
      frontier.pop_back();
      if (field.level(p) == 0) continue;
      const int kids = rng.UniformInt(0, 3);
      for (int k = 0; k < kids && field.num_nodes() < max_nodes; ++k) {
        const int c =
            field.AddNode(field.level(p) - 1,
                          RandomValues(rng, static_cast<size_t>(rng.UniformInt(1, 3)), -1, 1));
        if (!field.SetParent(c, p).ok()) return {};
        frontier.push_back(c);
      }
    }
  }
  for (int i = 0; i < field.num_nodes(); ++i) {
    for (int j = i + 1; j < field.num_nodes(); ++j) {
      if (rng.Uniform() >= 0.45) continue;
      const size_t size = static_cast<size_t>(field.num_labels(i)) * field.num_labels(j);
      if (!field.AddEdge(i, j, RandomValues(rng, size, -1, 1)).ok()) return {};
    }
  }
  return field;
}

// Every labelling of `field` in lexicographic order (last variable fastest).
inline bool NextLabelling(const std::vector<int>& num_labels, std::vector<int>& x) {
  for (int i = static_cast<int>(x.size()) - 1; i >= 0; --i) {
    if (++x[i] < num_labels[i]) return true;
    x[i] = 0;
  }
  return false;
}

}  // namespace msrf::testing
