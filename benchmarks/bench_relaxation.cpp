// One relaxation-labeling sweep on block-sparse fields, from cache-sized to far beyond the
// last-level cache, against the memory bandwidth measured in the same run (STREAM triad).
// Peers in the same run, same arithmetic: the block layout swept per variable (each block
// read once from each endpoint, the library's first kernel), and a scalar CSR layout of the
// same matrix. Also MCMC sweeps per second.
//
// Fields: n variables x 32 labels, variable i linked to i + s_1, ..., i + s_8 (mod n) with
// eight strides spread over [1, n/2), so 16 neighbours each, 8n edges of 32 x 32 floats
// (4 KiB per block), and the two visits of a block (one per endpoint) far apart in the sweep:
// beyond the LLC each block comes from memory twice, as in a field with no useful ordering.
//
// Counters per case: bytes_per_second (bytes the kernel streams per sweep: library kernel:
// every block once plus its contribution slots written and read; per-variable gather: every
// block once per endpoint; CSR: every entry once; all: p read, p_next written), bw_fraction (of the
// triad bandwidth at the same thread count), field_MiB (the layout's size), maxrss_MiB (peak RSS of
// the process so far). items_per_second = pairwise multiply-adds per second, comparable across
// layouts.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "msrf/core/parallel.h"
#include "msrf/core/random.h"
#include "msrf/field/random_field.h"
#include "msrf/inference/mcmc.h"
#include "msrf/inference/relaxation.h"

namespace {

constexpr int kLabels = 32;
constexpr int kHalfDegree = 8;  // 16 neighbours
const int kSizes[] = {64, 1024, 4096, 20000};

double MaxRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// STREAM triad a = b + s * c over three arrays of 2^24 doubles (384 MiB >> 32 MiB LLC),
// best of 20 passes; bytes counted as STREAM does (3 x 8 per element).
double TriadBytesPerSecond(int threads) {
  msrf::ThreadLimit limit(threads);
  const size_t n = size_t{1} << 24;
  std::vector<double> a(n), b(n), c(n);
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, n),
      [&](const tbb::blocked_range<size_t>& r) {
        for (size_t k = r.begin(); k != r.end(); ++k) {
          a[k] = 0.0;
          b[k] = 1.0;
          c[k] = 2.0;
        }
      },
      tbb::static_partitioner());
  double best = 0.0;
  for (int pass = 0; pass < 20; ++pass) {
    const auto t0 = std::chrono::steady_clock::now();
    tbb::parallel_for(
        tbb::blocked_range<size_t>(0, n),
        [&](const tbb::blocked_range<size_t>& r) {
          for (size_t k = r.begin(); k != r.end(); ++k) a[k] = b[k] + 3.0 * c[k];
        },
        tbb::static_partitioner());
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, 3.0 * 8.0 * static_cast<double>(n) / s);
    benchmark::DoNotOptimize(a.data());
  }
  return best;
}

std::map<int, double> g_triad;  // threads -> bytes/s

float HashValue(uint64_t key) {
  return static_cast<float>(msrf::MixBits(key) >> 40) * 0x1.0p-24f;  // [0, 1)
}

struct Fixture {
  int n = 0;
  msrf::RandomField field;
  std::vector<float> shifted;
  std::vector<float> p, p_next;
  // CSR of the full symmetric matrix: row (i, a), column (j, b).
  std::vector<int64_t> row_ptr;
  std::vector<int32_t> col;
  std::vector<float> val;
};

std::unique_ptr<Fixture> g_fixture;

Fixture& GetFixture(int n, bool need_csr) {
  if (!g_fixture || g_fixture->n != n) {
    g_fixture.reset();  // free the previous size first
    auto f = std::make_unique<Fixture>();
    f->n = n;
    f->field.Reserve(n, int64_t{n} * kLabels, n * kHalfDegree,
                     int64_t{n} * kHalfDegree * kLabels * kLabels);
    for (int i = 0; i < n; ++i) {
      std::vector<float> u(kLabels);
      for (int a = 0; a < kLabels; ++a) u[a] = HashValue(static_cast<uint64_t>(i) * 977 + a);
      f->field.AddVariable(std::move(u));
    }
    std::vector<float> block(kLabels * kLabels);
    for (int i = 0; i < n; ++i) {
      for (int d = 1; d <= kHalfDegree; ++d) {
        const int stride = 1 + d * (n / 2 - 1) / (kHalfDegree + 1);
        const int j = (i + stride) % n;
        const uint64_t base = (static_cast<uint64_t>(i) << 20) ^ static_cast<uint64_t>(d) << 12;
        for (int k = 0; k < kLabels * kLabels; ++k) block[k] = HashValue(base + k);
        if (!f->field.AddEdge(i, j, block).ok()) std::abort();
      }
    }
    f->shifted.assign(static_cast<size_t>(f->field.total_labels()), 0.0f);
    for (int i = 0; i < n; ++i) {
      const float* u = f->field.unary(i);
      const float lo = *std::min_element(u, u + kLabels);
      for (int a = 0; a < kLabels; ++a) f->shifted[f->field.label_offset(i) + a] = u[a] - lo;
    }
    f->p.assign(f->shifted.size(), 1.0f / kLabels);
    f->p_next.assign(f->shifted.size(), 0.0f);
    g_fixture = std::move(f);
  }
  Fixture& f = *g_fixture;
  if (need_csr && f.row_ptr.empty()) {
    const msrf::RandomField& field = f.field;
    const size_t rows = static_cast<size_t>(field.total_labels());
    f.row_ptr.assign(rows + 1, 0);
    for (int i = 0; i < n; ++i) {
      int64_t nnz = 0;
      for (const auto& inc : field.Neighbors(i)) nnz += field.num_labels(inc.neighbor);
      for (int a = 0; a < kLabels; ++a) f.row_ptr[field.label_offset(i) + a + 1] = nnz;
    }
    for (size_t r = 0; r < rows; ++r) f.row_ptr[r + 1] += f.row_ptr[r];
    f.col.resize(static_cast<size_t>(f.row_ptr.back()));
    f.val.resize(static_cast<size_t>(f.row_ptr.back()));
    tbb::parallel_for(0, n, [&](int i) {
      for (int a = 0; a < kLabels; ++a) {
        int64_t k = f.row_ptr[field.label_offset(i) + a];
        for (const auto& inc : field.Neighbors(i)) {
          const int j = inc.neighbor;
          for (int b = 0; b < kLabels; ++b, ++k) {
            f.col[k] = field.label_offset(j) + b;
            f.val[k] =
                inc.is_first ? field.pairwise(inc.edge, a, b) : field.pairwise(inc.edge, b, a);
          }
        }
      }
    });
  }
  return f;
}

// Wall seconds of the timed loop, measured here because user counters cannot read the
// library's own timer.
class LoopClock {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void SetCounters(benchmark::State& state, double bytes_per_sweep, double madds_per_sweep,
                 double layout_bytes, int threads, double loop_seconds) {
  const double sweeps = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(madds_per_sweep * sweeps));
  state.counters["bytes_per_second"] =
      benchmark::Counter(bytes_per_sweep * sweeps, benchmark::Counter::kIsRate);
  state.counters["field_MiB"] = layout_bytes / (1024.0 * 1024.0);
  state.counters["maxrss_MiB"] = MaxRssMiB();
  state.counters["triad_GBps"] = g_triad[threads] * 1e-9;
  state.counters["bw_fraction"] = bytes_per_sweep * sweeps / loop_seconds / g_triad[threads];
}

void BM_BlockSweep(benchmark::State& state, int n, int threads) {
  Fixture& f = GetFixture(n, false);
  msrf::ThreadLimit limit(threads);
  msrf::RelaxationWorkspace workspace;
  msrf::RelaxationSweep(f.field, f.shifted.data(), 1.0f, f.p.data(), f.p_next.data(), workspace);
  LoopClock clock;
  for (auto _ : state) {
    const auto stats = msrf::RelaxationSweep(f.field, f.shifted.data(), 1.0f, f.p.data(),
                                             f.p_next.data(), workspace);
    benchmark::DoNotOptimize(stats);
  }
  const double edges = static_cast<double>(f.field.num_edges());
  const double block_bytes = edges * kLabels * kLabels * sizeof(float);
  const double slot_bytes = edges * 2.0 * kLabels * sizeof(float);
  const double p_bytes = static_cast<double>(f.p.size()) * sizeof(float);
  SetCounters(state, block_bytes + 2.0 * slot_bytes + 2.0 * p_bytes,
              2.0 * edges * kLabels * kLabels,
              static_cast<double>(f.field.MemoryBytes()) + slot_bytes, threads, clock.Seconds());
}

// The per-variable gather: each variable sums R p_j over its blocks, so a block is read once
// from each endpoint, far apart in time.
void BM_GatherSweep(benchmark::State& state, int n, int threads) {
  Fixture& f = GetFixture(n, false);
  msrf::ThreadLimit limit(threads);
  const msrf::RandomField& field = f.field;
  LoopClock clock;
  for (auto _ : state) {
    tbb::parallel_for(tbb::blocked_range<int>(0, n), [&](const tbb::blocked_range<int>& r) {
      float q[kLabels];
      for (int i = r.begin(); i != r.end(); ++i) {
        const int off = field.label_offset(i);
        std::fill(q, q + kLabels, 0.0f);
        for (const auto& inc : field.Neighbors(i)) {
          const float* blk = field.block(inc.edge);
          const float* pj = f.p.data() + field.label_offset(inc.neighbor);
          if (inc.is_first) {
            for (int a = 0; a < kLabels; ++a) {
              float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
              for (int b = 0; b < kLabels; b += 8) {
                for (int k = 0; k < 8; ++k) acc[k] += blk[a * kLabels + b + k] * pj[b + k];
              }
              q[a] +=
                  ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
            }
          } else {
            for (int b = 0; b < kLabels; ++b) {
              for (int a = 0; a < kLabels; ++a) q[a] += blk[b * kLabels + a] * pj[b];
            }
          }
        }
        const float* pi = f.p.data() + off;
        const float* v = f.shifted.data() + off;
        float vp = 0.0f;
        for (int a = 0; a < kLabels; ++a) vp += v[a] * pi[a];
        double pq = 0.0;
        for (int a = 0; a < kLabels; ++a) {
          q[a] += v[a] + vp;
          pq += static_cast<double>(pi[a]) * q[a];
        }
        const float inv = static_cast<float>(1.0 / pq);
        for (int a = 0; a < kLabels; ++a) f.p_next[off + a] = pi[a] * q[a] * inv;
      }
    });
    benchmark::DoNotOptimize(f.p_next.data());
  }
  const double edges = static_cast<double>(field.num_edges());
  const double block_bytes = edges * kLabels * kLabels * sizeof(float);
  const double p_bytes = static_cast<double>(f.p.size()) * sizeof(float);
  SetCounters(state, 2.0 * block_bytes + 2.0 * p_bytes, 2.0 * edges * kLabels * kLabels,
              static_cast<double>(field.MemoryBytes()), threads, clock.Seconds());
}

void BM_CsrSweep(benchmark::State& state, int n, int threads) {
  Fixture& f = GetFixture(n, true);
  msrf::ThreadLimit limit(threads);
  const msrf::RandomField& field = f.field;
  LoopClock clock;
  for (auto _ : state) {
    // Same arithmetic as the block kernel: support, unary self term, normalisation.
    tbb::parallel_for(tbb::blocked_range<int>(0, n), [&](const tbb::blocked_range<int>& r) {
      float q[kLabels];
      for (int i = r.begin(); i != r.end(); ++i) {
        const int off = field.label_offset(i);
        const float* pi = f.p.data() + off;
        const float* v = f.shifted.data() + off;
        float vp = 0.0f;
        for (int a = 0; a < kLabels; ++a) vp += v[a] * pi[a];
        double pq = 0.0;
        for (int a = 0; a < kLabels; ++a) {
          float acc[4] = {0, 0, 0, 0};
          int64_t k = f.row_ptr[off + a];
          const int64_t end = f.row_ptr[off + a + 1];
          for (; k + 4 <= end; k += 4) {
            for (int t = 0; t < 4; ++t) acc[t] += f.val[k + t] * f.p[f.col[k + t]];
          }
          float s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
          for (; k < end; ++k) s += f.val[k] * f.p[f.col[k]];
          q[a] = s + (v[a] + vp);
          pq += static_cast<double>(pi[a]) * q[a];
        }
        const float inv = static_cast<float>(1.0 / pq);
        for (int a = 0; a < kLabels; ++a) f.p_next[off + a] = pi[a] * q[a] * inv;
      }
    });
    benchmark::DoNotOptimize(f.p_next.data());
  }
  const double nnz = static_cast<double>(f.val.size());
  const double csr_bytes = nnz * (sizeof(float) + sizeof(int32_t)) +
                           static_cast<double>(f.row_ptr.size()) * sizeof(int64_t);
  const double p_bytes = static_cast<double>(f.p.size()) * sizeof(float);
  SetCounters(state, csr_bytes + 2.0 * p_bytes, nnz, csr_bytes, threads, clock.Seconds());
}

void BM_McmcSweeps(benchmark::State& state, int n, int threads) {
  Fixture& f = GetFixture(n, false);
  msrf::ThreadLimit limit(threads);
  msrf::McmcOptions options;
  options.num_chains = 2;
  options.sample_sweeps = 2;
  options.burn_in_sweeps = 0;
  auto solver = std::move(msrf::CreateMcmcSolver(options)).value();
  for (auto _ : state) {
    auto solution = solver->Solve(f.field);
    benchmark::DoNotOptimize(solution);
  }
  state.counters["chain_sweeps_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * options.num_chains * options.sample_sweeps,
      benchmark::Counter::kIsRate);
  state.counters["field_MiB"] = static_cast<double>(f.field.MemoryBytes()) / (1024.0 * 1024.0);
  state.counters["maxrss_MiB"] = MaxRssMiB();
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int threads : {1, 2}) {
    g_triad[threads] = TriadBytesPerSecond(threads);
    benchmark::AddCustomContext("triad_GBps_" + std::to_string(threads) + "_threads",
                                std::to_string(g_triad[threads] * 1e-9));
  }
  for (int n : kSizes) {
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark(
          ("BlockSweep/n:" + std::to_string(n) + "/threads:" + std::to_string(threads)).c_str(),
          BM_BlockSweep, n, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(0.3);
    }
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark(
          ("GatherSweep/n:" + std::to_string(n) + "/threads:" + std::to_string(threads)).c_str(),
          BM_GatherSweep, n, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(0.3);
    }
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark(
          ("CsrSweep/n:" + std::to_string(n) + "/threads:" + std::to_string(threads)).c_str(),
          BM_CsrSweep, n, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(0.3);
    }
    for (int threads : {1, 2}) {
      benchmark::RegisterBenchmark(
          ("McmcSweeps/n:" + std::to_string(n) + "/threads:" + std::to_string(threads)).c_str(),
          BM_McmcSweeps, n, threads)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->MinTime(0.3);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
