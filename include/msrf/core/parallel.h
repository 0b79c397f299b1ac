// Thread control. msrf parallelises with oneTBB; results never depend on the thread count.
#pragma once

#include <memory>

namespace msrf {

// Caps the number of worker threads msrf (and OpenCV) use while the object lives.
// threads <= 0 leaves the default (all cores). Not thread-safe: create it once, near main().
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The number of threads parallel sections run on now.
int MaxThreads();

}  // namespace msrf
