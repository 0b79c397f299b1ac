// Thread control and the one parallel loop every part of msrf runs on. msrf parallelises with
// oneTBB; results never depend on the thread count.
#pragma once

#include <cstddef>
#include <functional>
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

// Calls body(chunk_begin, chunk_end) for disjoint chunks that together cover [begin, end),
// in parallel and in no set order; chunks hold about `grain` indices or more (grain 0 is 1).
// Every body must write only what its own indices own, so that the result does not depend on
// the chunking. An exception from a body is rethrown here once every chunk has stopped.
//
// Built with -DMSRF_SANITIZE=thread the chunks run on std::threads instead of oneTBB: Debian's
// oneTBB is not instrumented, so ThreadSanitizer would not see its hand-offs between threads
// and would hide races between two bodies with them (docs/fuzzing.md#threadsanitizer).
void ParallelForChunks(std::size_t begin, std::size_t end, std::size_t grain,
                       const std::function<void(std::size_t, std::size_t)>& body);

// Calls body(i) for every i in [begin, end), in parallel, on chunks of about `grain` indices.
template <typename Body>
void ParallelFor(std::size_t begin, std::size_t end, std::size_t grain, const Body& body) {
  ParallelForChunks(begin, end, grain, [&body](std::size_t chunk_begin, std::size_t chunk_end) {
    for (std::size_t i = chunk_begin; i < chunk_end; ++i) body(i);
  });
}

// ParallelFor with one index per task, for bodies that are each a sizeable piece of work.
template <typename Body>
void ParallelFor(std::size_t begin, std::size_t end, const Body& body) {
  ParallelFor(begin, end, 1, body);
}

}  // namespace msrf
