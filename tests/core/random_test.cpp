#include "msrf/core/random.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace msrf {
namespace {

TEST(Rng, SameSeedGivesSameStream) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.NextU64();
    EXPECT_EQ(x, b.NextU64());
    differs |= x != c.NextU64();
  }
  EXPECT_TRUE(differs);
}

TEST(Rng, UniformIsInRangeWithTheRightMean) {
  Rng rng(7);
  double sum = 0.0;
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / kN, 0.5, 0.005);
}

TEST(Rng, BelowIsUnbiasedOverSmallRanges) {
  Rng rng(9);
  std::vector<int> counts(7, 0);
  constexpr int kN = 70000;
  for (int i = 0; i < kN; ++i) ++counts[rng.Below(7)];
  for (int c : counts) EXPECT_NEAR(c, kN / 7, 5 * std::sqrt(kN / 7.0));
}

TEST(DeriveSeed, StreamsAreDistinct) {
  EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(1, 1));
  EXPECT_NE(DeriveSeed(1, 0), DeriveSeed(2, 0));
  EXPECT_EQ(DeriveSeed(5, 3), DeriveSeed(5, 3));
}

}  // namespace
}  // namespace msrf
