#include "msrf/core/parallel.h"

#include <tbb/global_control.h>
#include <opencv2/core/utility.hpp>

#include <optional>

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

}  // namespace msrf
