// Relaxation labeling (Rosenfeld-Hummel-Zucker in the Baum-Eagon form of Pelillo 1997).
//
// p_i is a distribution over the labels of variable i. One iteration updates every
// variable at once from the same p:
//   q_i(a) = sum_{j ~ i} sum_b r_ij(a, b) p_j(b) + w * (v_i(a) + <v_i, p_i>)
//   p_i(a) <- p_i(a) q_i(a) / sum_a' p_i(a') q_i(a')
// with v_i(a) = u_i(a) - min_a' u_i(a') >= 0 the shifted unaries and w = unary_weight.
// The unary self term is written so that A(p) = sum_i sum_a p_i(a) q_i(a) is a homogeneous
// quadratic polynomial in p with non-negative coefficients (because sum_a p_i(a) = 1), so by
// Baum-Eagon A(p) never decreases when every r_ij >= 0; the solver refuses negative r.
// At a labelling (p one-hot) A = 2 * sum_edges r + 2 * w * sum_i v_i, which for w = 1 is
// 2 * (S(x) - sum_i min_a u_i(a)): relaxation climbs the same score the other solvers
// maximise. With w = 0 the unaries only shape the starting point.
//
// Start: p_i(a) proportional to v_i(a) + initial_floor * max_a v_i(a) (uniform when v_i is
// all zero); the floor keeps every label alive, as a zero probability stays zero.
// Stop: max |dp| < tolerance, or max_iterations. Returns p and its argmax (ties: lowest).
//
// Parallelism: one iteration runs in parallel (oneTBB) over edges, then over variables into
// a second buffer; each q_i is summed in a fixed order (the variable's edges by id), so p is
// bit-identical for every thread count. Arithmetic is float (the sweep is memory-bound);
// A(p) is summed in double.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/inference/solver.h"

namespace msrf {

// None of these was tuned on a dataset; the notes say what each value is for.
struct RelaxationOptions {
  // Iteration cap, in [1, 1e6]: a safety bound for runs that have not met `tolerance`; each
  // iteration is one sweep over every edge block.
  int max_iterations = 500;
  // Stop when no probability changes by more than this in one iteration, in [0, 1). p is
  // float: 1e-5 lies well above its rounding (about 1e-7 at 1), so a settled run stops
  // instead of running into the cap.
  double tolerance = 1e-5;
  // Weight w of the unary self term in the support, >= 0 (see above). 1: A(p) at a labelling
  // is then 2 x (S(x) - const), the score the other solvers maximise; 0 leaves the unaries to
  // the start point only.
  double unary_weight = 1.0;
  // Share of the largest shifted unary added to every label of the start point, in (0, 1].
  // Any positive floor keeps every label alive (a zero probability stays zero); a small one
  // keeps the start close to the unaries.
  double initial_floor = 0.05;

  Status Validate() const;
};

Result<std::unique_ptr<Solver>> CreateRelaxationSolver(const RelaxationOptions& options = {});

// The kernel of the solver, exposed for benchmarks and custom drivers: one synchronous
// update of every variable from p into p_next (both field.total_labels() floats, laid out by
// RandomField::label_offset). `shifted_unaries` is v as above (same layout); it is not read
// when unary_weight == 0 and may then be null. With p_next == nullptr only A(p) is computed.
// The field must have passed ValidateNonNegativePairwise().
//
// It runs in two parallel passes: over edges (each block read once, in memory order, giving
// both endpoints' contributions) and over variables (adding a variable's contributions in
// its edge order, then updating p). `workspace` holds the contributions, one float per
// (edge, endpoint label); keep it between sweeps to avoid reallocating.
struct RelaxationSweepStats {
  double average_consistency = 0.0;  // A(p)
  double max_change = 0.0;           // max |p_next - p|
};
struct RelaxationWorkspace {
  std::vector<size_t> edge_offset;
  std::vector<float> contributions;
  std::vector<double> consistency;
  std::vector<float> change;
};
RelaxationSweepStats RelaxationSweep(const RandomField& field, const float* shifted_unaries,
                                     float unary_weight, const float* p, float* p_next,
                                     RelaxationWorkspace& workspace);

}  // namespace msrf
