#include "msrf/field/random_field.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace msrf {

int RandomField::AddVariable(std::vector<float> unary) {
  unaries_.insert(unaries_.end(), unary.begin(), unary.end());
  label_offset_.push_back(static_cast<int>(unaries_.size()));
  neighbors_.emplace_back();
  return num_variables() - 1;
}

int RandomField::AddVariable(int num_labels) {
  return AddVariable(std::vector<float>(static_cast<size_t>(std::max(num_labels, 0)), 0.0f));
}

Status RandomField::AddEdge(int i, int j, const std::vector<float>& block) {
  const int n = num_variables();
  if (i < 0 || i >= n || j < 0 || j >= n) {
    return InvalidArgumentError("edge (" + std::to_string(i) + ", " + std::to_string(j) +
                                ") names a variable outside [0, " + std::to_string(n) + ")");
  }
  if (i == j) return InvalidArgumentError("self-edge on variable " + std::to_string(i));
  const size_t li = static_cast<size_t>(num_labels(i));
  const size_t lj = static_cast<size_t>(num_labels(j));
  if (block.size() != li * lj) {
    return InvalidArgumentError("edge (" + std::to_string(i) + ", " + std::to_string(j) +
                                "): block has " + std::to_string(block.size()) +
                                " values, expected " + std::to_string(li) + " x " +
                                std::to_string(lj) + " = " + std::to_string(li * lj));
  }
  const int first = std::min(i, j);
  const int second = std::max(i, j);
  if (edge_index_.count(EdgeKey(first, second)) != 0) {
    return InvalidArgumentError("duplicate edge (" + std::to_string(first) + ", " +
                                std::to_string(second) + ")");
  }
  Edge edge;
  edge.first = first;
  edge.second = second;
  edge.offset = pairwise_.size();
  if (i < j) {
    pairwise_.insert(pairwise_.end(), block.begin(), block.end());
  } else {
    // block is L_i x L_j with i the larger id: store its transpose, L_j x L_i.
    pairwise_.resize(pairwise_.size() + block.size());
    float* out = pairwise_.data() + edge.offset;
    for (size_t a = 0; a < li; ++a) {
      for (size_t b = 0; b < lj; ++b) out[b * li + a] = block[a * lj + b];
    }
  }
  const int id = num_edges();
  edges_.push_back(edge);
  edge_index_.emplace(EdgeKey(first, second), id);
  // Edge id order is the blocks' memory order: a sweep over a variable's neighbours then
  // reads its blocks front to back.
  neighbors_[first].push_back(Incidence{second, id, true});
  neighbors_[second].push_back(Incidence{first, id, false});
  return Status::Ok();
}

void RandomField::Reserve(int num_variables, int64_t total_labels, int num_edges,
                          int64_t pairwise_values) {
  label_offset_.reserve(static_cast<size_t>(num_variables) + 1);
  neighbors_.reserve(static_cast<size_t>(num_variables));
  unaries_.reserve(static_cast<size_t>(total_labels));
  edges_.reserve(static_cast<size_t>(num_edges));
  edge_index_.reserve(static_cast<size_t>(num_edges));
  pairwise_.reserve(static_cast<size_t>(pairwise_values));
}

Status RandomField::SetUnary(int i, const std::vector<float>& unary) {
  if (i < 0 || i >= num_variables()) {
    return InvalidArgumentError("SetUnary: variable " + std::to_string(i) + " outside [0, " +
                                std::to_string(num_variables()) + ")");
  }
  if (static_cast<int>(unary.size()) != num_labels(i)) {
    return InvalidArgumentError("SetUnary: variable " + std::to_string(i) + " has " +
                                std::to_string(num_labels(i)) + " labels, got " +
                                std::to_string(unary.size()) + " unaries");
  }
  std::copy(unary.begin(), unary.end(), unaries_.begin() + label_offset_[i]);
  return Status::Ok();
}

int RandomField::FindEdge(int i, int j) const {
  auto it = edge_index_.find(EdgeKey(std::min(i, j), std::max(i, j)));
  return it == edge_index_.end() ? -1 : it->second;
}

Status RandomField::Validate() const {
  for (int i = 0; i < num_variables(); ++i) {
    if (num_labels(i) <= 0) {
      return InvalidArgumentError("variable " + std::to_string(i) + " has no labels");
    }
    for (int a = 0; a < num_labels(i); ++a) {
      if (!std::isfinite(unary(i, a))) {
        return InvalidArgumentError("unary of variable " + std::to_string(i) + ", label " +
                                    std::to_string(a) + " is not finite");
      }
    }
  }
  for (int e = 0; e < num_edges(); ++e) {
    const Edge& ed = edges_[e];
    const int li = num_labels(ed.first);
    const int lj = num_labels(ed.second);
    for (int a = 0; a < li; ++a) {
      for (int b = 0; b < lj; ++b) {
        if (!std::isfinite(pairwise(e, a, b))) {
          return InvalidArgumentError(
              "pairwise of edge (" + std::to_string(ed.first) + ", " + std::to_string(ed.second) +
              ") at labels (" + std::to_string(a) + ", " + std::to_string(b) + ") is not finite");
        }
      }
    }
  }
  return Status::Ok();
}

Status RandomField::ValidateNonNegativePairwise() const {
  MSRF_RETURN_IF_ERROR(Validate());
  for (int e = 0; e < num_edges(); ++e) {
    const Edge& ed = edges_[e];
    const int li = num_labels(ed.first);
    const int lj = num_labels(ed.second);
    for (int a = 0; a < li; ++a) {
      for (int b = 0; b < lj; ++b) {
        if (pairwise(e, a, b) < 0.0f) {
          return InvalidArgumentError("pairwise of edge (" + std::to_string(ed.first) + ", " +
                                      std::to_string(ed.second) + ") at labels (" +
                                      std::to_string(a) + ", " + std::to_string(b) +
                                      ") is negative (" + std::to_string(pairwise(e, a, b)) +
                                      "); this solver needs non-negative compatibilities");
        }
      }
    }
  }
  return Status::Ok();
}

Status RandomField::CheckLabelling(const std::vector<int>& labelling) const {
  if (static_cast<int>(labelling.size()) != num_variables()) {
    return InvalidArgumentError("labelling has " + std::to_string(labelling.size()) +
                                " entries, the field has " + std::to_string(num_variables()) +
                                " variables");
  }
  for (int i = 0; i < num_variables(); ++i) {
    if (labelling[i] < 0 || labelling[i] >= num_labels(i)) {
      return InvalidArgumentError("label " + std::to_string(labelling[i]) + " of variable " +
                                  std::to_string(i) + " is outside [0, " +
                                  std::to_string(num_labels(i)) + ")");
    }
  }
  return Status::Ok();
}

double RandomField::Score(const std::vector<int>& labelling) const {
  double score = 0.0;
  for (int i = 0; i < num_variables(); ++i) score += unary(i, labelling[i]);
  for (int e = 0; e < num_edges(); ++e) {
    score += pairwise(e, labelling[edges_[e].first], labelling[edges_[e].second]);
  }
  return score;
}

Result<double> RandomField::CheckedScore(const std::vector<int>& labelling) const {
  MSRF_RETURN_IF_ERROR(CheckLabelling(labelling));
  return Score(labelling);
}

size_t RandomField::MemoryBytes() const {
  size_t bytes = label_offset_.capacity() * sizeof(int) + unaries_.capacity() * sizeof(float) +
                 edges_.capacity() * sizeof(Edge) + pairwise_.capacity() * sizeof(float);
  for (const auto& list : neighbors_) bytes += list.capacity() * sizeof(Incidence);
  return bytes;
}

}  // namespace msrf
