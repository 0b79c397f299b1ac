#include "msrf/core/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace msrf {
namespace {

TEST(ParallelFor, CallsTheBodyOnceForEveryIndexOfTheRange) {
  for (const size_t grain : {size_t{0}, size_t{1}, size_t{7}, size_t{5000}}) {
    std::vector<int> calls(1003, 0);
    ParallelFor(3, calls.size(), grain, [&](size_t i) { ++calls[i]; });
    EXPECT_EQ(calls[0] + calls[1] + calls[2], 0) << "grain " << grain;
    EXPECT_TRUE(std::all_of(calls.begin() + 3, calls.end(), [](int c) { return c == 1; }))
        << "grain " << grain;
  }
}

TEST(ParallelFor, AnEmptyRangeCallsNothing) {
  std::atomic<int> calls{0};
  ParallelFor(5, 5, [&](size_t) { ++calls; });
  ParallelFor(9, 2, [&](size_t) { ++calls; });
  ParallelForChunks(4, 4, 1, [&](size_t, size_t) { ++calls; });
  EXPECT_EQ(calls.load(), 0);
}

TEST(ParallelForChunks, ChunksAreDisjointAndCoverTheRange) {
  std::mutex mutex;
  std::vector<std::pair<size_t, size_t>> chunks;
  ParallelForChunks(10, 2010, 16, [&](size_t begin, size_t end) {
    const std::lock_guard<std::mutex> lock(mutex);
    chunks.emplace_back(begin, end);
  });
  std::sort(chunks.begin(), chunks.end());
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(chunks.front().first, 10u);
  EXPECT_EQ(chunks.back().second, 2010u);
  for (size_t c = 0; c < chunks.size(); ++c) {
    EXPECT_LT(chunks[c].first, chunks[c].second) << "chunk " << c << " is empty";
    if (c > 0) {
      EXPECT_EQ(chunks[c].first, chunks[c - 1].second) << "gap or overlap at " << c;
    }
  }
}

TEST(ParallelForChunks, RethrowsABodysExceptionAfterTheLoop) {
  EXPECT_THROW(ParallelFor(0, 64,
                           [](size_t i) {
                             if (i == 17) throw std::runtime_error("body 17");
                           }),
               std::runtime_error);
  // The loop is usable again afterwards.
  std::atomic<int> calls{0};
  ParallelFor(0, 64, [&](size_t) { ++calls; });
  EXPECT_EQ(calls.load(), 64);
}

TEST(ParallelFor, RunsUnderAThreadLimitOfOne) {
  const ThreadLimit limit(1);
  EXPECT_EQ(MaxThreads(), 1);
  std::vector<int> calls(100, 0);
  ParallelFor(0, calls.size(), [&](size_t i) { ++calls[i]; });
  EXPECT_TRUE(std::all_of(calls.begin(), calls.end(), [](int c) { return c == 1; }));
}

}  // namespace
}  // namespace msrf
