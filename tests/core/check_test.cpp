#include "msrf/core/check.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace msrf {
namespace {

TEST(CheckRange, AcceptsTheIntervalAndNamesTheFieldOtherwise) {
  EXPECT_TRUE(CheckRange("a.b", 0.5, 0.0, 1.0).ok());
  EXPECT_TRUE(CheckRange("a.b", 1.0, 0.0, 1.0).ok());
  EXPECT_FALSE(CheckRange("a.b", 1.0, 0.0, 1.0, Bound::kClosed, Bound::kOpen).ok());
  EXPECT_FALSE(CheckRange("a.b", 0.0, 0.0, 1.0, Bound::kOpen, Bound::kClosed).ok());
  EXPECT_EQ(CheckRange("verify.max_stretch", 0.5, 1.0, 4.0).message(),
            "verify.max_stretch must be in [1, 4], got 0.5");
  EXPECT_EQ(CheckRange("t.x", 1.0, 0.0, 1.0, Bound::kOpen, Bound::kOpen).message(),
            "t.x must be in (0, 1), got 1");
  // NaN and infinity are never in range, even without an upper limit.
  EXPECT_FALSE(CheckRange("a.b", std::nan(""), 0.0, 1.0).ok());
  EXPECT_EQ(CheckRange("a.b", std::numeric_limits<double>::infinity(), 0.0, kNoLimit).message(),
            "a.b must be finite and >= 0, got inf");
  EXPECT_EQ(CheckFinitePositive("a.b", 0.0).message(), "a.b must be finite and > 0, got 0");
  EXPECT_TRUE(CheckFinitePositive("a.b", 1e-300).ok());
}

TEST(CheckRange, IntegersAreComparedWithoutConversion) {
  EXPECT_TRUE(CheckRange("p.n", 16, 1, 16).ok());
  EXPECT_EQ(CheckRange("p.n", 17, 1, 16).message(), "p.n must be in [1, 16], got 17");
  EXPECT_EQ(CheckRange("p.n", int64_t{4294967298}, 1, 16).message(),
            "p.n must be in [1, 16], got 4294967298");
  EXPECT_EQ(CheckRange("p.n", -1, 0, std::numeric_limits<int64_t>::max()).message(),
            "p.n must be >= 0, got -1");
}

}  // namespace
}  // namespace msrf
