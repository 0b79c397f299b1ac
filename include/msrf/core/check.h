// Small predicates shared by the options' Validate() functions.
#pragma once

#include <cmath>

namespace msrf {

// Finite and > 0. NaN and infinity fail, so they never reach an integer conversion.
inline bool IsFinitePositive(double x) { return std::isfinite(x) && x > 0.0; }

}  // namespace msrf
