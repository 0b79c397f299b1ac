// Numbers as msrf writes them into JSON: rounded to a fixed number of decimals, so that files
// are short and the same result always prints the same text.
#pragma once

#include <cmath>

namespace msrf::internal {

// v rounded to `decimals` places (half away from zero).
inline double RoundTo(double v, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(v * scale) / scale;
}

inline double Round2(double v) { return RoundTo(v, 2); }  // pixels: a hundredth is plenty
inline double Round3(double v) { return RoundTo(v, 3); }  // model units
inline double Round4(double v) { return RoundTo(v, 4); }  // scores and fractions

}  // namespace msrf::internal
