// Replayable randomness. Every stochastic part of msrf takes an explicit seed and derives
// one engine per task from (seed, stream...), so results do not depend on scheduling or on
// the thread count. The generators are defined here bit for bit (no std:: distributions,
// whose output differs between standard libraries).
#pragma once

#include <cstdint>

namespace msrf {

__extension__ typedef unsigned __int128 Uint128;

// SplitMix64 finaliser: a good 64-bit mix, used to derive independent seeds.
constexpr uint64_t MixBits(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A seed for stream `stream` of a run seeded with `seed` (e.g. stream = chain or level).
constexpr uint64_t DeriveSeed(uint64_t seed, uint64_t stream) {
  return MixBits(MixBits(seed) ^ MixBits(stream + 0x632BE59BD9B4E019ULL));
}

// xoshiro256** (Blackman & Vigna): small, fast, and the same output everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (uint64_t& word : state_) {
      s = MixBits(s);
      word = s;
    }
  }

  uint64_t NextU64() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1), 53 random bits.
  double Uniform() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [0, n), n > 0 (Lemire's nearly-divisionless method, unbiased).
  uint64_t Below(uint64_t n);
  // Uniform integer in [lo, hi].
  int UniformInt(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }

 private:
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4] = {};
};

inline uint64_t Rng::Below(uint64_t n) {
  Uint128 m = static_cast<Uint128>(NextU64()) * n;
  auto low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Uint128>(NextU64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

}  // namespace msrf
