// The write side of file_io: hidden temporaries, outputs staged and renamed together, paths
// that are refused before any work, and file identity.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "msrf/io/file_io.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

TEST(StagedFiles, WritesNothingWhenAnOutputFailsBeforeTheRenames) {
  testing::TempDir dir;
  {
    StagedFiles files;
    ASSERT_TRUE(files.Stage(dir.Path("a.json"), "{}\n").ok());
    EXPECT_FALSE(files.Stage(dir.Path("no/such/b.json"), "{}\n").ok());
  }
  EXPECT_TRUE(dir.Files().empty());  // neither a.json nor a temporary
}

TEST(StagedFiles, LeavesNothingWhenNotCommitted) {
  testing::TempDir dir;
  {
    StagedFiles files;
    ASSERT_TRUE(files.Stage(dir.Path("a.json"), "{}\n").ok());
    ASSERT_TRUE(files.Stage(dir.Path("b.png"), "png").ok());
  }
  EXPECT_TRUE(dir.Files().empty());
}

TEST(StagedFiles, RenamesEveryOutputOnCommit) {
  testing::TempDir dir;
  StagedFiles files;
  ASSERT_TRUE(files.Stage(dir.Path("a.json"), "{}\n").ok());
  ASSERT_TRUE(files.Stage(dir.Path("b.png"), "png").ok());
  ASSERT_TRUE(files.Commit().ok());
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"a.json", "b.png"}));
  EXPECT_EQ(*ReadFileToString(dir.Path("b.png")), "png");
}

TEST(WriteFileAtomically, WritesANameOfTheLongestLengthTheFolderAllows) {
  testing::TempDir dir;
  const std::string name = std::string(250, 'n') + ".json";  // 255 bytes
  ASSERT_TRUE(WriteFileAtomically(dir.Path(name), "{}\n").ok());
  EXPECT_EQ(dir.Files(), std::vector<std::string>{name});
  const Status too_long = WriteFileAtomically(dir.Path("x" + name), "{}\n");
  EXPECT_EQ(too_long.code(), StatusCode::kInvalidArgument) << too_long.message();
  EXPECT_NE(too_long.message().find("limit"), std::string::npos) << too_long.message();
}

TEST(WriteFileAtomically, RefusesToReplaceASymbolicLinkOrAFifo) {
  testing::TempDir dir;
  std::ofstream(dir.Path("target.json")) << "kept";
  fs::create_symlink(dir.Path("target.json"), dir.Path("link.json"));
  ASSERT_EQ(::mkfifo(dir.Path("fifo.json").c_str(), 0600), 0);
  for (const char* name : {"link.json", "fifo.json"}) {
    const Status st = WriteFileAtomically(dir.Path(name), "{}\n");
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(st.message().find("not a regular file"), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find('\n'), std::string::npos);
  }
  EXPECT_TRUE(fs::is_symlink(dir.Path("link.json")));
  EXPECT_TRUE(fs::is_fifo(dir.Path("fifo.json")));
  EXPECT_EQ(*ReadFileToString(dir.Path("target.json")), "kept");
  EXPECT_EQ(dir.Files(), (std::vector<std::string>{"fifo.json", "link.json", "target.json"}));
}

TEST(CheckWritablePath, RefusesAFolderThatTakesNoNewFile) {
  // /proc lets root pass access(W_OK) but creates nothing: only trying finds that out.
  const Status st = CheckWritablePath("/proc/msrf-output.json");
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/proc"), std::string::npos) << st.message();
}

TEST(CheckWritablePath, RefusesAnEmptyPathAFolderAndADevice) {
  testing::TempDir dir;
  EXPECT_EQ(CheckWritablePath("").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckWritablePath(dir.path().string()).code(), StatusCode::kInvalidArgument);
  const Status device = CheckWritablePath("/dev/null");
  EXPECT_EQ(device.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(device.message().find("a device"), std::string::npos) << device.message();
  EXPECT_TRUE(CheckWritablePath(dir.Path("new.json")).ok());
  EXPECT_TRUE(dir.Files().empty());  // the probe is removed
}

TEST(SameFile, KnowsAFileByEveryName) {
  testing::TempDir dir;
  std::ofstream(dir.Path("a.png")) << "x";
  std::ofstream(dir.Path("b.png")) << "x";
  fs::create_directory(dir.Path("sub"));
  fs::create_symlink(dir.Path("a.png"), dir.Path("link.png"));
  EXPECT_TRUE(SameFile(dir.Path("a.png"), dir.Path("a.png")));
  EXPECT_TRUE(SameFile(dir.Path("a.png"), dir.Path("sub/../a.png")));
  EXPECT_TRUE(SameFile(dir.Path("a.png"), dir.Path("./a.png")));
  EXPECT_TRUE(SameFile(dir.Path("a.png"), dir.Path("link.png")));
  EXPECT_FALSE(SameFile(dir.Path("a.png"), dir.Path("b.png")));
  // Not yet written: by name.
  EXPECT_TRUE(SameFile(dir.Path("new.json"), dir.Path("sub/../new.json")));
  EXPECT_FALSE(SameFile(dir.Path("new.json"), dir.Path("new.png")));
  EXPECT_FALSE(SameFile(dir.Path("a.png"), dir.Path("new.png")));
}

TEST(SameFile, KnowsARelativeNameFromTheAbsoluteOne) {
  testing::TempDir dir;
  std::ofstream(dir.Path("a.png")) << "x";
  const fs::path here = fs::current_path();
  fs::current_path(dir.path());
  const bool relative = SameFile("a.png", dir.Path("a.png"));
  const bool missing = SameFile("./new.json", dir.Path("new.json"));
  fs::current_path(here);
  EXPECT_TRUE(relative);
  EXPECT_TRUE(missing);
}

TEST(RemoveTemporariesOnSignalDeathTest, RemovesTheTemporariesOfAnInterruptedWrite) {
  testing::TempDir dir;
  const std::string path = dir.Path("a.json");
  EXPECT_EXIT(
      {
        RemoveTemporariesOnSignal();
        StagedFiles files;
        if (files.Stage(path, "{}\n").ok()) std::raise(SIGTERM);
        std::_Exit(0);  // not reached when the stage worked
      },
      ::testing::KilledBySignal(SIGTERM), "");
  EXPECT_TRUE(dir.Files().empty());
}

}  // namespace
}  // namespace msrf
