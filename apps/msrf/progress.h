// Progress of a long command on stderr, when stderr is a terminal: a bar, the count, the item
// and the time left. Nothing otherwise, so that logs and pipes stay clean.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

#include "msrf/core/stopwatch.h"

namespace msrf::cli {

class Progress {
 public:
  explicit Progress(int total) : total_(total), tty_(::isatty(STDERR_FILENO) != 0) {}

  // One more item done (`what` names it); safe from several threads.
  void Step(const std::string& what) {
    const int done = ++done_;
    if (!tty_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    const double elapsed = watch_.Seconds();
    const double eta = done > 0 ? elapsed * (total_ - done) / done : 0.0;
    const int width = 30, filled = width * std::min(done, total_) / std::max(total_, 1);
    std::fprintf(stderr, "\r[%s%s] %d/%d %-22.22s ETA %d:%02d ",
                 std::string(static_cast<size_t>(filled), '#').c_str(),
                 std::string(static_cast<size_t>(width - filled), ' ').c_str(), done, total_,
                 what.c_str(), static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    shown_ = done < total_;
    if (!shown_) std::fprintf(stderr, "\n");
  }

  // Wipes the bar off its line, so that a line printed next starts clean; the next Step
  // draws it again.
  void Clear() {
    if (!tty_) return;
    const std::lock_guard<std::mutex> lock(mutex_);
    if (shown_) std::fprintf(stderr, "\r\033[K");
    shown_ = false;
  }

 private:
  int total_;
  bool tty_;
  bool shown_ = false;
  Stopwatch watch_;
  std::atomic<int> done_{0};
  std::mutex mutex_;
};

}  // namespace msrf::cli
