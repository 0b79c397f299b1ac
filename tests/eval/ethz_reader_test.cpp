// Reading a dataset's layout: trees the filesystem cannot walk, and names that are not
// UTF-8, are refused with one message naming the path, never an exception.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "msrf/eval/ethz.h"
#include "support/test_support.h"
#include "support/unreadable.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

class EthzTree : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root_.path() / "Mugs");
    fs::create_directories(root_.path() / "models");
    std::ofstream(root_.path() / "Mugs" / "a.jpg") << "pixels";
    std::ofstream(root_.path() / "models" / "mug.tif") << "a drawing";
  }
  std::string Root() const { return root_.path().string(); }
  testing::TempDir root_;
};

TEST_F(EthzTree, RefusesAClassFolderThatIsALoopOfSymbolicLinks) {
  fs::create_directory_symlink(root_.path() / "Swans", root_.path() / "Swans");
  Result<ShapeDataset> data = ReadEthzDataset(Root());
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(data.status().message().find((root_.path() / "Swans").string()), std::string::npos)
      << data.status().message();
}

TEST_F(EthzTree, PassesOverALoopOfSymbolicLinksThatIsNoClassFolder) {
  fs::create_directory_symlink(root_.path() / "loop", root_.path() / "loop");
  fs::create_directory_symlink(root_.path() / "Mugs" / "loop", root_.path() / "Mugs" / "loop");
  Result<ShapeDataset> data = ReadEthzDataset(Root());
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->images.size(), 1U);
}

TEST_F(EthzTree, RefusesAClassFolderItCannotList) {
  const fs::path swans = root_.path() / "Swans";
  fs::create_directories(swans);
  fs::permissions(swans, fs::perms::none);
  Status status;
  {
    const testing::WithoutFileAccessOverride as_a_user;
    if (testing::CanList(swans)) {
      fs::permissions(swans, fs::perms::owner_all);
      GTEST_SKIP() << "this process can list a folder of mode 000 (root with capabilities "
                      "it could not drop)";
    }
    status = ReadEthzDataset(Root()).status();
  }
  fs::permissions(swans, fs::perms::owner_all);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find(swans.string() + ": cannot read"), std::string::npos)
      << status.message();
}

TEST_F(EthzTree, RefusesARootThatIsNotUtf8) {
  const fs::path link = root_.path().parent_path() / (root_.path().filename().string() + "\xE9");
  fs::create_directory_symlink(root_.path(), link);
  Result<ShapeDataset> data = ReadEthzDataset(link.string());
  fs::remove(link);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(data.status().message().find("\\xE9: the name is not valid UTF-8"), std::string::npos)
      << data.status().message();
}

TEST_F(EthzTree, RefusesAnImageNameThatIsNotUtf8) {
  std::ofstream(root_.path() / "Mugs" / "caf\xE9.jpg") << "pixels";
  Result<ShapeDataset> data = ReadEthzDataset(Root());
  ASSERT_FALSE(data.ok());
  EXPECT_NE(data.status().message().find("caf\\xE9.jpg: the name is not valid UTF-8"),
            std::string::npos)
      << data.status().message();
}

TEST_F(EthzTree, AcceptsUtf8Names) {
  std::ofstream(root_.path() / "Mugs" / "caf\xC3\xA9.jpg") << "pixels";
  Result<ShapeDataset> data = ReadEthzDataset(Root());
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->images.size(), 2U);
}

}  // namespace
}  // namespace msrf
