// A cv::MatAllocator that keeps the blocks it frees and hands them out again.
//
// The forest's channels, maps and votes of one photo take about 130 MB at twice a BSDS
// photo's size. Fresh from the system allocator, every page of them faults in again on every
// photo (glibc returns such blocks to the system on free); a tenth of a boundary map's time
// went there. Mats given this allocator (Scratch()) take a kept block of fitting size
// instead. At most 256 MB are kept; larger or surplus blocks are freed. Contents of a reused
// block are arbitrary, as from malloc.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <map>
#include <mutex>

namespace msrf::internal {

class ReuseAllocator : public cv::MatAllocator {
 public:
  explicit ReuseAllocator(size_t max_kept) : max_kept_(max_kept) {}
  ~ReuseAllocator() override;  // frees the kept blocks; no Mat of this allocator may remain
  ReuseAllocator(const ReuseAllocator&) = delete;
  ReuseAllocator& operator=(const ReuseAllocator&) = delete;

  // The allocator of Scratch(); lives as long as the program.
  static ReuseAllocator& Instance();

  cv::UMatData* allocate(int dims, const int* sizes, int type, void* data, size_t* step,
                         cv::AccessFlag flags, cv::UMatUsageFlags usage) const override;
  bool allocate(cv::UMatData* data, cv::AccessFlag flags, cv::UMatUsageFlags usage) const override;
  void deallocate(cv::UMatData* data) const override;

  // Bytes held for reuse (for tests).
  size_t Kept() const;

 private:
  void* Take(size_t bytes) const;
  void Give(void* block, size_t bytes) const;

  const size_t max_kept_;
  mutable std::mutex mutex_;
  mutable std::multimap<size_t, void*> free_;  // by size
  mutable size_t kept_ = 0;
};

// An empty Mat whose data, once created (by create() or as an OpenCV function's output),
// comes from ReuseAllocator.
cv::Mat Scratch();

}  // namespace msrf::internal
