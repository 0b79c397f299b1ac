// The one clock msrf reports timings with: wall time on a monotonic clock. Timings are only
// ever reported, never used for results, so a run's output does not depend on them.
#pragma once

#include <chrono>

namespace msrf {

class Stopwatch {
 public:
  using Clock = std::chrono::steady_clock;

  Stopwatch() : start_(Clock::now()) {}

  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  double Milliseconds() const {
    return std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
  }
  // Milliseconds since the start, and starts again: consecutive stages timed by one watch.
  double LapMilliseconds() {
    const Clock::time_point now = Clock::now();
    const double ms = std::chrono::duration<double, std::milli>(now - start_).count();
    start_ = now;
    return ms;
  }
  void Restart() { start_ = Clock::now(); }
  Clock::time_point start() const { return start_; }

 private:
  Clock::time_point start_;
};

}  // namespace msrf
