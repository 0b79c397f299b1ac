#include "msrf/core/parallel.h"

#include <tbb/global_control.h>
#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <optional>

#if MSRF_PARALLEL_STD_THREADS
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>
#else
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#endif

namespace msrf {

struct ThreadLimit::Impl {
  std::optional<tbb::global_control> control;
  int previous_cv_threads = -1;
};

ThreadLimit::ThreadLimit(int threads) : impl_(std::make_unique<Impl>()) {
  if (threads <= 0) return;
  impl_->control.emplace(tbb::global_control::max_allowed_parallelism,
                         static_cast<size_t>(threads));
  impl_->previous_cv_threads = cv::getNumThreads();
  cv::setNumThreads(threads);
}

ThreadLimit::~ThreadLimit() {
  if (impl_->previous_cv_threads >= 0) cv::setNumThreads(impl_->previous_cv_threads);
}

int MaxThreads() {
  return static_cast<int>(
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism));
}

#if MSRF_PARALLEL_STD_THREADS

// Workers take the next chunk from a shared counter; thread creation and join give
// ThreadSanitizer the happens-before edges that oneTBB's uninstrumented hand-offs hide.
void ParallelForChunks(std::size_t begin, std::size_t end, std::size_t grain,
                       const std::function<void(std::size_t, std::size_t)>& body) {
  if (begin >= end) return;
  grain = std::max<std::size_t>(grain, 1);
  const std::size_t num_chunks = (end - begin + grain - 1) / grain;
  const std::size_t num_threads =
      std::min(num_chunks, static_cast<std::size_t>(std::max(MaxThreads(), 1)));
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    for (std::size_t c = next++; c < num_chunks; c = next++) {
      const std::size_t b = begin + c * grain;
      try {
        body(b, std::min(end, b + grain));
      } catch (...) {
        const std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(num_threads - 1);
  for (std::size_t t = 1; t < num_threads; ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

#else

void ParallelForChunks(std::size_t begin, std::size_t end, std::size_t grain,
                       const std::function<void(std::size_t, std::size_t)>& body) {
  if (begin >= end) return;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(begin, end, std::max<std::size_t>(grain, 1)),
      [&body](const tbb::blocked_range<std::size_t>& range) { body(range.begin(), range.end()); });
}

#endif

}  // namespace msrf
