// The range checks every options struct's Validate() is written with, so that every bad
// value is reported the same way: "<section>.<field> must be in [lo, hi], got <value>", with
// the field named as in the options JSON (msrf/io/options_json.h).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <type_traits>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// Finite and > 0. NaN and infinity fail, so they never reach an integer conversion.
inline bool IsFinitePositive(double x) { return std::isfinite(x) && x > 0.0; }

enum class Bound { kClosed, kOpen };

inline constexpr double kNoLimit = std::numeric_limits<double>::infinity();

// OK when `value` lies in the interval from `lo` to `hi`, each end closed or open; NaN and
// infinity never do. `hi` = kNoLimit: no upper limit ("must be finite and >= lo").
Status CheckRange(std::string_view name, double value, double lo, double hi,
                  Bound lo_bound = Bound::kClosed, Bound hi_bound = Bound::kClosed);

// Integers: OK when lo <= value <= hi.
Status CheckIntRange(std::string_view name, int64_t value, int64_t lo, int64_t hi);
template <typename Int, typename = std::enable_if_t<std::is_integral_v<Int>>>
Status CheckRange(std::string_view name, Int value, int64_t lo, int64_t hi) {
  return CheckIntRange(name, static_cast<int64_t>(value), lo, hi);
}

// OK when `values` holds `min_count` to `max_count` numbers, each in [lo, hi].
Status CheckList(std::string_view name, const std::vector<double>& values, size_t min_count,
                 size_t max_count, double lo, double hi);

// Finite and > 0.
inline Status CheckFinitePositive(std::string_view name, double value) {
  return CheckRange(name, value, 0.0, kNoLimit, Bound::kOpen);
}

}  // namespace msrf
