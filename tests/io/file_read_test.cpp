// Reading whole files: only regular files, within a size limit, checked before reading.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "msrf/io/file_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

TEST(ReadFileToString, RefusesAFifoWithoutBlocking) {
  testing::TempDir dir;
  const std::string fifo = dir.Path("pipe.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<std::string> r = ReadFileToString(fifo);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), fifo + ": not a regular file (a FIFO)");
  EXPECT_EQ(CheckReadableFile(fifo).message(), fifo + ": not a regular file (a FIFO)");
}

TEST(ReadFileToString, RefusesADeviceThatNeverEnds) {
  Result<std::string> r = ReadFileToString("/dev/zero");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("character device"), std::string::npos);
}

TEST(ReadFileToString, RefusesAFileAboveItsLimitBeforeReadingIt) {
  testing::TempDir dir;
  std::ofstream(dir.Path("a.json")) << std::string(1000, ' ');
  Result<std::string> r = ReadFileToString(dir.Path("a.json"), 999);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(r.status().message().find("above the limit of 999 bytes"), std::string::npos);
  ASSERT_TRUE(ReadFileToString(dir.Path("a.json"), 1000).ok());
  EXPECT_EQ(ReadFileToString(dir.Path("a.json"), 1000)->size(), 1000U);
}

TEST(ReadFileToString, NamesMissingFilesAndFolders) {
  testing::TempDir dir;
  EXPECT_EQ(ReadFileToString(dir.Path("nope")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadFileToString(dir.path().string()).status().message(),
            dir.path().string() + ": is a folder, not a file");
  EXPECT_EQ(CheckReadableFile(dir.Path("nope")).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace msrf
