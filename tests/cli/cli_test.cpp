#include <gtest/gtest.h>

#include "cli/cli_support.h"
#include "msrf/core/build_info.h"

namespace msrf {
namespace {

using testing::RunCli;

TEST(Cli, PrintsHelpAndVersion) {
  auto help = RunCli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("fragments"), std::string::npos);
  EXPECT_NE(help.out.find("synth"), std::string::npos);

  auto version = RunCli({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.out.find(Version()), std::string::npos);
}

TEST(Cli, EverySubcommandHasItsOwnHelp) {
  for (const char* cmd : {"detect", "fragments", "model", "synth"}) {
    auto run = RunCli({cmd, "--help"});
    EXPECT_EQ(run.exit_code, 0) << cmd;
    EXPECT_NE(run.out.find("--out"), std::string::npos) << cmd;
    EXPECT_TRUE(run.err.empty()) << cmd;
  }
}

TEST(Cli, UnknownCommandsAndOptionsAreUsageErrors) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"fragments", "--no-such-option"}}) {
    auto run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
  }
}

}  // namespace
}  // namespace msrf
