#include "reuse_allocator.h"

namespace msrf::internal {

ReuseAllocator& ReuseAllocator::Instance() {
  // Never destroyed: Mats of it may outlive static destruction.
  static auto* const allocator = new ReuseAllocator(size_t{256} << 20);
  return *allocator;
}

ReuseAllocator::~ReuseAllocator() {
  for (const auto& [bytes, block] : free_) cv::fastFree(block);
}

void* ReuseAllocator::Take(size_t bytes) const {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    // The smallest kept block that holds `bytes`, if it wastes at most a quarter of itself.
    const auto it = free_.lower_bound(bytes);
    if (it != free_.end() && it->first - bytes <= it->first / 4) {
      void* block = it->second;
      kept_ -= it->first;
      free_.erase(it);
      return block;
    }
  }
  return cv::fastMalloc(bytes);
}

void ReuseAllocator::Give(void* block, size_t bytes) const {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (kept_ + bytes <= max_kept_) {
      free_.emplace(bytes, block);
      kept_ += bytes;
      return;
    }
  }
  cv::fastFree(block);
}

size_t ReuseAllocator::Kept() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return kept_;
}

// As OpenCV's own allocator, with Take and Give for fastMalloc and fastFree. A step of
// 0x7fffffff (OpenCV's CV_AUTOSTEP) with user data means "packed".
cv::UMatData* ReuseAllocator::allocate(int dims, const int* sizes, int type, void* data,
                                       size_t* step, cv::AccessFlag /*flags*/,
                                       cv::UMatUsageFlags /*usage*/) const {
  size_t total = CV_ELEM_SIZE(type);
  for (int i = dims - 1; i >= 0; --i) {
    if (step != nullptr) {
      if (data != nullptr && step[i] != 0x7fffffff) {
        CV_Assert(total <= step[i]);
        total = step[i];
      } else {
        step[i] = total;
      }
    }
    total *= static_cast<size_t>(sizes[i]);
  }
  auto* u = new cv::UMatData(this);
  u->data = u->origdata = static_cast<uchar*>(data != nullptr ? data : Take(total));
  u->size = total;
  if (data != nullptr) u->flags |= cv::UMatData::USER_ALLOCATED;
  return u;
}

bool ReuseAllocator::allocate(cv::UMatData* data, cv::AccessFlag /*flags*/,
                              cv::UMatUsageFlags /*usage*/) const {
  return data != nullptr;
}

void ReuseAllocator::deallocate(cv::UMatData* data) const {
  if (data == nullptr) return;
  CV_Assert(data->urefcount == 0 && data->refcount == 0);
  if (!(data->flags & cv::UMatData::USER_ALLOCATED)) Give(data->origdata, data->size);
  delete data;
}

cv::Mat Scratch() {
  cv::Mat m;
  m.allocator = &ReuseAllocator::Instance();
  return m;
}

}  // namespace msrf::internal
