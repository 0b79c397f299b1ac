#include "msrf/inference/relaxation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "internal.h"
#include "msrf/core/check.h"
#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

// Probabilities below this are 0 (RelaxationSweep).
constexpr float kDead = 1e-30F;

// Both directions of one edge in a single pass over its row-major L_f x L_s block r:
//   to_first[a]  = sum_b r(a, b) p_s(b)   (support the first variable gets)
//   to_second[b] = sum_a r(a, b) p_f(a)   (support the second variable gets)
// so a sweep reads every block once. The dot products use eight partial sums in a fixed
// order: vectorisable and the same bits on every run.
inline void EdgeContributions(const float* r, const float* pf, const float* ps, int lf, int ls,
                              float* to_first, float* to_second) {
  std::fill(to_second, to_second + ls, 0.0f);
  for (int a = 0; a < lf; ++a) {
    const float* row = r + static_cast<size_t>(a) * ls;
    const float wa = pf[a];
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int b = 0;
    for (; b + 8 <= ls; b += 8) {
      for (int k = 0; k < 8; ++k) {
        acc[k] += row[b + k] * ps[b + k];
        to_second[b + k] += row[b + k] * wa;
      }
    }
    float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (; b < ls; ++b) {
      sum += row[b] * ps[b];
      to_second[b] += row[b] * wa;
    }
    to_first[a] = sum;
  }
}

class RelaxationSolver final : public Solver {
 public:
  explicit RelaxationSolver(const RelaxationOptions& options) : options_(options) {}
  const char* name() const override { return "relaxation"; }
  Result<Solution> Solve(const RandomField& field, const SolverObserver& observer) const override;

 private:
  RelaxationOptions options_;
};

struct SweepState {
  const RandomField* field;
  const float* shifted;  // v_i(a)
  float unary_weight;
  const size_t* edge_offset;   // per edge, its slots in `contributions`
  const float* contributions;  // per edge: L_first floats to first, L_second to second
};

// Support of variable i into q (length L_i) from the edge contributions, summed in the
// variable's edge order; returns sum_a p_i(a) q_i(a).
inline double Support(const SweepState& s, const float* p, int i, float* q) {
  const RandomField& field = *s.field;
  const int li = field.num_labels(i);
  const float* pi = p + field.label_offset(i);
  std::fill(q, q + li, 0.0f);
  for (const RandomField::Incidence& inc : field.Neighbors(i)) {
    size_t slot = s.edge_offset[inc.edge];
    if (!inc.is_first) slot += static_cast<size_t>(field.num_labels(field.edge(inc.edge).first));
    const float* c = s.contributions + slot;
    for (int a = 0; a < li; ++a) q[a] += c[a];
  }
  if (s.unary_weight > 0.0f) {
    const float* v = s.shifted + field.label_offset(i);
    float vp = 0.0f;
    for (int a = 0; a < li; ++a) vp += v[a] * pi[a];
    for (int a = 0; a < li; ++a) q[a] += s.unary_weight * (v[a] + vp);
  }
  double pq = 0.0;
  for (int a = 0; a < li; ++a) pq += static_cast<double>(pi[a]) * q[a];
  return pq;
}

std::vector<int> Argmax(const RandomField& field, const std::vector<float>& p) {
  std::vector<int> x(static_cast<size_t>(field.num_variables()), 0);
  for (int i = 0; i < field.num_variables(); ++i) {
    const float* pi = p.data() + field.label_offset(i);
    x[i] = static_cast<int>(std::max_element(pi, pi + field.num_labels(i)) - pi);
  }
  return x;
}

Result<Solution> RelaxationSolver::Solve(const RandomField& field,
                                         const SolverObserver& observer) const {
  const Stopwatch clock;
  MSRF_RETURN_IF_ERROR(field.ValidateNonNegativePairwise().WithContext("relaxation labeling"));
  const int n = field.num_variables();
  const size_t total = static_cast<size_t>(field.total_labels());

  // Shifted unaries and the start point.
  std::vector<float> shifted(total);
  std::vector<float> p(total);
  for (int i = 0; i < n; ++i) {
    const int li = field.num_labels(i);
    const float* u = field.unary(i);
    const float lo = *std::min_element(u, u + li);
    float hi = 0.0f;
    float* v = shifted.data() + field.label_offset(i);
    for (int a = 0; a < li; ++a) {
      v[a] = u[a] - lo;
      hi = std::max(hi, v[a]);
    }
    float* pi = p.data() + field.label_offset(i);
    if (hi <= 0.0f) {
      std::fill(pi, pi + li, 1.0f / static_cast<float>(li));
      continue;
    }
    const float floor = static_cast<float>(options_.initial_floor) * hi;
    float sum = 0.0f;
    for (int a = 0; a < li; ++a) sum += (pi[a] = v[a] + floor);
    for (int a = 0; a < li; ++a) pi[a] /= sum;
  }

  const float w = static_cast<float>(options_.unary_weight);
  std::vector<float> p_next(total);
  RelaxationWorkspace workspace;

  Solution solution;
  SolverSummary& summary = solution.summary;
  summary.solver = name();
  summary.num_threads = MaxThreads();
  summary.termination = TerminationReason::kMaxIterations;

  for (int iteration = 1; iteration <= options_.max_iterations; ++iteration) {
    const RelaxationSweepStats stats =
        RelaxationSweep(field, shifted.data(), w, p.data(), p_next.data(), workspace);
    IterationInfo info;
    info.iteration = iteration;
    info.average_consistency = stats.average_consistency;
    info.max_change = stats.max_change;
    std::swap(p, p_next);
    if (observer) info.score = field.Score(Argmax(field, p));
    info.elapsed_seconds = clock.Seconds();
    summary.iterations = iteration;
    const bool converged = info.max_change < options_.tolerance;
    if (converged) summary.termination = TerminationReason::kConverged;
    if (observer && observer(info) == ObserverDecision::kStop && !converged) {
      summary.termination = TerminationReason::kStoppedByObserver;
      break;
    }
    if (converged) break;
  }

  summary.average_consistency =
      RelaxationSweep(field, shifted.data(), w, p.data(), nullptr, workspace).average_consistency;
  solution.labelling = Argmax(field, p);
  summary.score = field.Score(solution.labelling);
  summary.energy = -summary.score;
  solution.probabilities.assign(p.begin(), p.end());
  summary.wall_time_seconds = clock.Seconds();
  return solution;
}

}  // namespace

RelaxationSweepStats RelaxationSweep(const RandomField& field, const float* shifted_unaries,
                                     float unary_weight, const float* p, float* p_next,
                                     RelaxationWorkspace& workspace) {
  const int n = field.num_variables();
  const int num_edges = field.num_edges();
  // Edge pass: every block read once, both directions' contributions written to the edge's
  // slots; the variable pass below adds them up in a fixed order, so no two tasks write to
  // the same place and the bits do not depend on the thread count.
  std::vector<size_t>& offset = workspace.edge_offset;
  offset.resize(static_cast<size_t>(num_edges) + 1);
  offset[0] = 0;
  for (int e = 0; e < num_edges; ++e) {
    const RandomField::Edge& edge = field.edge(e);
    offset[e + 1] = offset[e] + static_cast<size_t>(field.num_labels(edge.first)) +
                    static_cast<size_t>(field.num_labels(edge.second));
  }
  workspace.contributions.resize(offset.back());
  float* contributions = workspace.contributions.data();
  // Chunks of about kChunkWork block entries: a field of a few dozen variables (one
  // hypothesis' field in Detect) is then one chunk, swept without handing work to other
  // threads, which would cost more than the sweep itself.
  constexpr size_t kChunkWork = 16384;
  const size_t work = std::max<size_t>(1, field.pairwise_size());
  const size_t edge_grain = std::max<size_t>(1, kChunkWork * static_cast<size_t>(num_edges) / work);
  ParallelFor(0, static_cast<size_t>(num_edges), edge_grain, [&](size_t e_index) {
    const int e = static_cast<int>(e_index);
    const RandomField::Edge& edge = field.edge(e);
    const int lf = field.num_labels(edge.first);
    EdgeContributions(field.block(e), p + field.label_offset(edge.first),
                      p + field.label_offset(edge.second), lf, field.num_labels(edge.second),
                      contributions + offset[e], contributions + offset[e] + lf);
  });
  const SweepState state{&field, shifted_unaries, unary_weight, offset.data(), contributions};
  const int max_labels = internal::MaxLabels(field);
  // Per-variable results, reduced serially below so the sums do not depend on threads.
  std::vector<double>& consistency = workspace.consistency;
  std::vector<float>& change = workspace.change;
  consistency.assign(static_cast<size_t>(n), 0.0);
  change.assign(static_cast<size_t>(n), 0.0f);
  // Each variable adds up its edges' contributions and its labels: about as much work per
  // variable as its share of the blocks.
  const size_t variable_grain = std::max<size_t>(1, kChunkWork * static_cast<size_t>(n) / work);
  ParallelForChunks(0, static_cast<size_t>(n), variable_grain, [&](size_t begin, size_t end) {
    std::vector<float> q(static_cast<size_t>(max_labels));
    for (int i = static_cast<int>(begin); i != static_cast<int>(end); ++i) {
      const double pq = Support(state, p, i, q.data());
      consistency[i] = pq;
      if (p_next == nullptr) continue;
      const int li = field.num_labels(i);
      const float* pi = p + field.label_offset(i);
      float* out = p_next + field.label_offset(i);
      float max_dp = 0.0f;
      if (pq > 0.0) {
        const float inv = static_cast<float>(1.0 / pq);
        for (int a = 0; a < li; ++a) {
          // A probability that has shrunk below kDead is set to 0: it could not come back
          // within any iteration cap (each sweep multiplies it by its support ratio), and
          // left to shrink it becomes a subnormal float, on which every multiply-add takes
          // tens of cycles (a hypothesis' field took 40 x longer).
          const float next = pi[a] * q[a] * inv;
          out[a] = next < kDead ? 0.0f : next;
          max_dp = std::max(max_dp, std::fabs(out[a] - pi[a]));
        }
      } else {
        std::copy(pi, pi + li, out);  // no support at all: nothing to move towards
      }
      change[i] = max_dp;
    }
  });
  RelaxationSweepStats stats;
  for (double c : consistency) stats.average_consistency += c;
  for (float c : change) stats.max_change = std::max(stats.max_change, static_cast<double>(c));
  return stats;
}

Status RelaxationOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("relaxation.max_iterations", max_iterations, 1, 1'000'000));
  MSRF_RETURN_IF_ERROR(
      CheckRange("relaxation.tolerance", tolerance, 0.0, 1.0, Bound::kClosed, Bound::kOpen));
  MSRF_RETURN_IF_ERROR(CheckRange("relaxation.unary_weight", unary_weight, 0.0, kNoLimit));
  return CheckRange("relaxation.initial_floor", initial_floor, 0.0, 1.0, Bound::kOpen,
                    Bound::kClosed);
}

Result<std::unique_ptr<Solver>> CreateRelaxationSolver(const RelaxationOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  return std::unique_ptr<Solver>(std::make_unique<RelaxationSolver>(options));
}

}  // namespace msrf
