// The reusing allocator behind the forest's large temporaries.
#include "reuse_allocator.h"

#include <gtest/gtest.h>

namespace msrf::internal {
namespace {

cv::Mat With(ReuseAllocator& allocator) {
  cv::Mat m;
  m.allocator = &allocator;
  return m;
}

TEST(ReuseAllocator, HandsAFreedBlockToTheNextMatOfItsSize) {
  ReuseAllocator allocator(size_t{64} << 20);
  const uchar* first = nullptr;
  {
    cv::Mat a = With(allocator);
    a.create(300, 400, CV_32FC3);
    first = a.data;
    EXPECT_EQ(allocator.Kept(), 0U);
  }
  EXPECT_EQ(allocator.Kept(), size_t{300} * 400 * 12);
  cv::Mat small = With(allocator);
  small.create(10, 10, CV_8U);  // would waste most of the block: a new one
  EXPECT_NE(small.data, first);
  cv::Mat b = With(allocator);
  b.create(290, 400, CV_32FC3);  // a little smaller: the kept block
  EXPECT_EQ(b.data, first);
  EXPECT_EQ(allocator.Kept(), 0U);
}

TEST(ReuseAllocator, OpenCvOutputsUseItAndKeepTheirValues) {
  ReuseAllocator allocator(size_t{64} << 20);
  cv::Mat src(64, 48, CV_32F);
  cv::randu(src, 0.0F, 1.0F);
  cv::Mat a = With(allocator);
  cv::add(src, cv::Scalar(1.0F), a);
  EXPECT_EQ(a.u->currAllocator, &allocator);
  const cv::Mat expected = src + 1.0F;
  EXPECT_EQ(cv::norm(a, expected, cv::NORM_INF), 0.0);
  const cv::Mat b = a.clone();  // a clone is the caller's: OpenCV's own allocator
  EXPECT_NE(b.u->currAllocator, &allocator);
}

TEST(ReuseAllocator, KeepsAtMostItsLimit) {
  ReuseAllocator allocator(size_t{1} << 20);
  {
    cv::Mat a = With(allocator), b = With(allocator);
    a.create(700, 1024, CV_8U);
    b.create(700, 1024, CV_8U);
  }
  EXPECT_EQ(allocator.Kept(), size_t{700} * 1024);  // one of the two
  {
    cv::Mat big = With(allocator);
    big.create(2048, 1024, CV_8U);
  }
  EXPECT_EQ(allocator.Kept(), size_t{700} * 1024);  // beyond the limit: freed
}

}  // namespace
}  // namespace msrf::internal
