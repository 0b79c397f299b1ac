#include "msrf/core/check.h"

#include <cstdio>
#include <string>

namespace msrf {
namespace {

// Short and exact enough for a message: 0.5, 1e-05, 65536, 1.41421.
std::string Number(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", v);
  return text;
}

}  // namespace

Status CheckRange(std::string_view name, double value, double lo, double hi, Bound lo_bound,
                  Bound hi_bound) {
  const bool above = lo_bound == Bound::kOpen ? value > lo : value >= lo;
  const bool below = hi_bound == Bound::kOpen ? value < hi : value <= hi;
  if (std::isfinite(value) && above && below) return Status::Ok();
  std::string message(name);
  if (hi == kNoLimit) {
    message +=
        " must be finite and " + std::string(lo_bound == Bound::kOpen ? "> " : ">= ") + Number(lo);
  } else {
    message += " must be in " + std::string(lo_bound == Bound::kOpen ? "(" : "[") + Number(lo) +
               ", " + Number(hi) + (hi_bound == Bound::kOpen ? ")" : "]");
  }
  return InvalidArgumentError(message + ", got " + Number(value));
}

Status CheckIntRange(std::string_view name, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return Status::Ok();
  std::string message(name);
  if (hi == std::numeric_limits<int64_t>::max()) {
    message += " must be >= " + std::to_string(lo);
  } else {
    message += " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  }
  return InvalidArgumentError(message + ", got " + std::to_string(value));
}

Status CheckList(std::string_view name, const std::vector<double>& values, size_t min_count,
                 size_t max_count, double lo, double hi) {
  if (values.size() < min_count || values.size() > max_count) {
    return InvalidArgumentError(std::string(name) + " must hold " + std::to_string(min_count) +
                                " to " + std::to_string(max_count) + " numbers, got " +
                                std::to_string(values.size()));
  }
  for (double value : values) MSRF_RETURN_IF_ERROR(CheckRange(name, value, lo, hi));
  return Status::Ok();
}

}  // namespace msrf
