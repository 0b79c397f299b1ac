// RandomField: a discrete pairwise random field with block-sparse pairwise terms.
//
// Convention (used by every msrf field and solver): potentials are compatibilities to
// MAXIMISE. The score of a labelling x is
//     S(x) = sum_i u_i(x_i) + sum_{edges (i,j)} r_ij(x_i, x_j),
// higher is better, and the energy is E(x) = -S(x).
//
// Storage: unaries are one flat float array (variable i owns labels [offset_i, offset_i + L_i)).
// Each edge stores one dense L_i x L_j float block, row-major, for i < j; the block of (j, i)
// is its transpose and is not stored, so every field is symmetric by construction. Dense
// blocks beat scalar CSR for the relaxation sweep (half the bytes, no column indices; see
// docs/field.md for the measurement).
//
// Threading: a const RandomField may be read from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

class RandomField {
 public:
  // One stored edge: variables first < second, block at pairwise_data() + offset with
  // num_labels(first) rows and num_labels(second) columns.
  struct Edge {
    int first = 0;
    int second = 0;
    size_t offset = 0;
  };

  // One entry of a variable's adjacency: the neighbour, the edge, and whether this variable
  // is the edge's `first` (row) side.
  struct Incidence {
    int neighbor = 0;
    int edge = 0;
    bool is_first = false;
  };

  RandomField() = default;

  // Adds a variable whose label count is unary.size(); returns its id (0, 1, ...).
  // Values are checked by Validate(), not here.
  int AddVariable(std::vector<float> unary);
  // Adds a variable with `num_labels` labels and zero unaries.
  int AddVariable(int num_labels);

  // Adds the pairwise block between i and j, row-major num_labels(i) x num_labels(j).
  // When i > j the block is transposed before it is stored. Fails, naming the problem, on an
  // unknown variable, a self-edge, a block of the wrong size, or an edge added twice.
  Status AddEdge(int i, int j, const std::vector<float>& block);

  // Reserves room for the given totals, so that building a large field does not hold two
  // copies of its blocks while a vector grows. Optional.
  void Reserve(int num_variables, int64_t total_labels, int num_edges, int64_t pairwise_values);

  // Replaces the unaries of variable i; the label count must stay the same.
  Status SetUnary(int i, const std::vector<float>& unary);

  int num_variables() const { return static_cast<int>(label_offset_.size()) - 1; }
  int num_edges() const { return static_cast<int>(edges_.size()); }
  int num_labels(int i) const { return label_offset_[i + 1] - label_offset_[i]; }
  // Sum of all label counts, the length of a flat per-(variable, label) array.
  int total_labels() const { return label_offset_.back(); }
  // Start of variable i's labels in flat per-(variable, label) arrays.
  int label_offset(int i) const { return label_offset_[i]; }

  const float* unary(int i) const { return unaries_.data() + label_offset_[i]; }
  float unary(int i, int a) const { return unaries_[label_offset_[i] + a]; }
  const Edge& edge(int e) const { return edges_[e]; }
  const float* block(int e) const { return pairwise_.data() + edges_[e].offset; }
  const float* pairwise_data() const { return pairwise_.data(); }
  // Number of floats in all pairwise blocks together.
  size_t pairwise_size() const { return pairwise_.size(); }
  // r_ij(a, b) for a stored edge e between i = edge(e).first and j = edge(e).second.
  float pairwise(int e, int a, int b) const {
    const Edge& ed = edges_[e];
    return pairwise_[ed.offset + static_cast<size_t>(a) * num_labels(ed.second) + b];
  }
  // The edge between i and j in either order, or -1.
  int FindEdge(int i, int j) const;

  // Incident edges of variable i in edge id order (the order the blocks lie in memory): a
  // fixed order, so sums over neighbours are reproducible.
  const std::vector<Incidence>& Neighbors(int i) const { return neighbors_[i]; }

  // Checks every label count is positive and every value is finite.
  Status Validate() const;
  // Validate() plus: every pairwise value is >= 0 (what relaxation labeling needs).
  Status ValidateNonNegativePairwise() const;
  // Checks `labelling` has one in-range label per variable.
  Status CheckLabelling(const std::vector<int>& labelling) const;

  // S(x) of a labelling that passes CheckLabelling (not checked here), summed in double.
  double Score(const std::vector<int>& labelling) const;
  double Energy(const std::vector<int>& labelling) const { return -Score(labelling); }
  // S(x) with the labelling checked first.
  Result<double> CheckedScore(const std::vector<int>& labelling) const;

  // Bytes held by the unaries, edges, blocks and adjacency.
  size_t MemoryBytes() const;

 private:
  static uint64_t EdgeKey(int i, int j) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(i)) << 32) | static_cast<uint32_t>(j);
  }

  std::vector<int> label_offset_{0};
  std::vector<float> unaries_;
  std::vector<Edge> edges_;
  std::vector<float> pairwise_;
  std::unordered_map<uint64_t, int> edge_index_;
  std::vector<std::vector<Incidence>> neighbors_;
};

}  // namespace msrf
