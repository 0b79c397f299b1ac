// Option values CLI11's own checks let through: NaN and infinities past a Range, seeds that
// wrap or saturate, ports out of range, paths that are empty.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/cli_support.h"
#include "msrf/common.h"
#include "msrf/core/version.h"
#include "support/test_support.h"

namespace msrf {
namespace {

using testing::CliRun;
using testing::RunCli;

struct BadValue {
  std::string name;
  std::vector<std::string> args;
  std::string option;  // the error names it
};

void PrintTo(const BadValue& b, std::ostream* os) { *os << b.name; }

class BadOptionValues : public ::testing::TestWithParam<BadValue> {
 protected:
  testing::TempDir in_;
  testing::TempDir out_;
};

TEST_P(BadOptionValues, AreUsageErrorsNamingTheOption) {
  std::ofstream(in_.Path("token")) << "0123456789abcdef0123";
  const CliRun run = RunCli(testing::ExpandArgs(GetParam().args, {}, in_, out_));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_NE(run.err.find(GetParam().option), std::string::npos) << run.err;
  EXPECT_TRUE(out_.Files().empty());
}

std::vector<BadValue> Cases() {
  std::vector<BadValue> cases = {
      {"NoiseNan", {"synth", "--noise", "nan", "--out", "OUT/s.png"}, "--noise"},
      {"NoiseMinusNan", {"synth", "--noise", "-nan", "--out", "OUT/s.png"}, "--noise"},
      {"NoiseInfinite", {"synth", "--noise", "inf", "--out", "OUT/s.png"}, "--noise"},
      {"SigmaNan", {"fragments", "IN/x.png", "--sigma", "nan", "--out", "OUT/f.json"}, "--sigma"},
      {"ScaleInfinite",
       {"fragments", "IN/x.png", "--scale", "inf", "--out", "OUT/f.json"},
       "--scale"},
      {"MinLengthNan",
       {"fragments", "IN/x.png", "--min-length", "NaN", "--out", "OUT/f.json"},
       "--min-length"},
      {"SeedNegative", {"synth", "--seed", "-1", "--out", "OUT/s.png"}, "--seed"},
      {"SeedInExponentForm", {"synth", "--seed", "1e23", "--out", "OUT/s.png"}, "--seed"},
      {"SeedOf2To64", {"synth", "--seed", "18446744073709551616", "--out", "OUT/s.png"}, "--seed"},
      {"SeedInHex", {"synth", "--seed", "0x10", "--out", "OUT/s.png"}, "--seed"},
      {"DetectSeedNegative",
       {"detect", "IN/x.png", "--model", "IN/m.json", "--seed", "-1", "--out", "OUT/d.json"},
       "--seed"},
  };
#if MSRF_WITH_REMOTE
  const std::vector<std::string> serve = {"node",         "serve",    "--insecure",
                                          "--token-file", "IN/token", "--listen"};
  for (const auto& [name, listen] :
       std::vector<std::pair<std::string, std::string>>{{"PortOver65535", "127.0.0.1:99999"},
                                                        {"PortNegative", "127.0.0.1:-1"},
                                                        {"NoPort", "127.0.0.1"},
                                                        {"PortNotANumber", "127.0.0.1:http"}}) {
    std::vector<std::string> args = serve;
    args.push_back(listen);
    cases.push_back({name, args, "msrf node serve: error: --listen"});
  }
  cases.push_back({"SlowdownNan",
                   {"node", "serve", "--insecure", "--token-file", "IN/token", "--listen",
                    "127.0.0.1:0", "--slowdown", "nan"},
                   "--slowdown"});
#endif
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Cases, BadOptionValues, ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(OptionValues, TheLargestSeedIsTaken) {
  testing::TempDir out;
  for (const char* seed : {"0", "18446744073709551615"}) {
    const CliRun run = RunCli({"synth", "--width", "64", "--height", "64", "--seed", seed, "--out",
                               out.Path(std::string("s") + seed + ".png")});
    EXPECT_EQ(run.exit_code, 0) << seed << ": " << run.err;
  }
}

TEST(OptionValues, Utf8IsCheckedStrictly) {
  EXPECT_TRUE(cli::IsUtf8(""));
  EXPECT_TRUE(cli::IsUtf8("vase"));
  EXPECT_TRUE(cli::IsUtf8("Gef\xc3\xa4\xc3\x9f \xe2\x82\xac \xf0\x9f\x8f\xba"));
  EXPECT_FALSE(cli::IsUtf8("\xff"));
  EXPECT_FALSE(cli::IsUtf8("a\xc3"));             // cut short
  EXPECT_FALSE(cli::IsUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(cli::IsUtf8("\xed\xa0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(cli::IsUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(cli::IsUtf8("\xe2\x82"));          // cut short
}

}  // namespace
}  // namespace msrf
