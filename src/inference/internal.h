// Helpers shared by the solvers (not installed).
#pragma once

#include <vector>

#include "msrf/field/random_field.h"

namespace msrf::internal {

// local[a] = u_i(a) + sum_{j ~ i} r_ij(a, x_j): the part of S(x) that depends on x_i.
inline void LocalScores(const RandomField& field, int i, const std::vector<int>& x, double* local) {
  const int li = field.num_labels(i);
  const float* u = field.unary(i);
  for (int a = 0; a < li; ++a) local[a] = u[a];
  for (const RandomField::Incidence& inc : field.Neighbors(i)) {
    const float* r = field.block(inc.edge);
    const int xj = x[inc.neighbor];
    if (inc.is_first) {
      // Block is L_i x L_j: column x_j.
      const int lj = field.num_labels(inc.neighbor);
      for (int a = 0; a < li; ++a) local[a] += r[a * lj + xj];
    } else {
      // Block is L_j x L_i: row x_j.
      const float* row = r + static_cast<size_t>(xj) * li;
      for (int a = 0; a < li; ++a) local[a] += row[a];
    }
  }
}

// One label of r_ij(x_i, .) seen from i: the pairwise value between (i, a) and (j, b).
inline float PairwiseFrom(const RandomField& field, const RandomField::Incidence& inc, int a,
                          int b) {
  return inc.is_first ? field.pairwise(inc.edge, a, b) : field.pairwise(inc.edge, b, a);
}

inline int MaxLabels(const RandomField& field) {
  int m = 0;
  for (int i = 0; i < field.num_variables(); ++i)
    m = m > field.num_labels(i) ? m : field.num_labels(i);
  return m;
}

}  // namespace msrf::internal
