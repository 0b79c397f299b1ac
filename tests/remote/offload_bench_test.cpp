// msrf_offload_bench as a user runs it: a program of its own, whose nodes are the msrf
// beside it (or --node-program's).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_support.h"
#include "msrf/child_node.h"

namespace msrf::testing {
namespace offload_bench_test {  // named: the remote tests are one unity build

class OffloadBench : public ::testing::Test {
 protected:
  // Runs the benchmark program with `args` and captures what it prints.
  static CliRun RunBench(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {MSRF_OFFLOAD_BENCH_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    CliRun run;
    run.exit_code = cli::RunProgram(
        argv, [&run](const std::string& text) { run.out += text; },
        [&run](const std::string& text) { run.err += text; });
    return run;
  }
  TempDir out_;
};

TEST_F(OffloadBench, ReportsEveryConfiguration) {
  const std::string report = out_.Path("offload.json");
  const CliRun run = RunBench({"--nodes", "2", "--images", "3", "--width", "320", "--height", "240",
                               "--slowdowns", "1,3", "--delays-ms", "0,2", "--links-mbit", "0,0",
                               "--slow-factor", "3", "--out", report});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("re-planning after the fastest node slowed"), std::string::npos)
      << run.out;
  const nlohmann::json doc = nlohmann::json::parse(ReadFileBytes(report));
  ASSERT_EQ(doc["configurations"].size(), 4u);
  EXPECT_FALSE(doc["links_shaped"].get<bool>());
  for (const auto& c : doc["configurations"]) {
    EXPECT_EQ(c["identical_to_local"], 3) << c["name"];  // exact payloads: the local answer
    // Where the levels ran is the plan's choice (a busy machine may keep them all home);
    // bytes move exactly when some level ran on a node.
    ASSERT_EQ(c["level_measured_ms"].size(), 3u);
    size_t levels = 0;
    for (const auto& image : c["level_measured_ms"]) levels += image.size();
    const int remote = c["levels_remote"].get<int>();
    EXPECT_EQ(static_cast<size_t>(remote + c["levels_local"].get<int>()), levels) << c["name"];
    EXPECT_EQ(c["bytes_moved"].get<double>() > 0.0, remote > 0) << c["name"];
    EXPECT_GE(c["makespan_error_mean"].get<double>(), 0.0);
    EXPECT_GT(c["level_seconds"].get<double>(), 0.0);
  }
  EXPECT_GT(doc["rebalancing_gain"].get<double>(), 0.0);
  EXPECT_GT(doc["rebalancing_gain_levels"].get<double>(), 0.0);

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--nodes", "2", "--slowdowns", "1,2,3"},
        std::vector<std::string>{"--nodes", "2", "--links-mbit", "10"},
        std::vector<std::string>{"--in-netns", "net:[1]"}}) {
    const CliRun bad = RunBench(args);
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_EQ(bad.ErrLines(), 1) << bad.err;
  }
}

// Where the machine allows an unprivileged network namespace, the links are shaped with tc
// tbf there and the slow link costs time; where it does not, asking for shaping is refused.
TEST_F(OffloadBench, ShapesLinksOrSaysWhyNot) {
  const std::string report = out_.Path("shaped.json");
  const CliRun run = RunBench({"--nodes", "2", "--images", "2", "--width", "320", "--height", "240",
                               "--slowdowns", "1,1", "--delays-ms", "0,0", "--links-mbit", "0,2",
                               "--out", report, "--node-program", MSRF_CLI_PATH});
  if (run.exit_code != 0) {
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_NE(run.err.find("does not allow"), std::string::npos) << run.err;
    GTEST_SKIP() << "this machine does not allow shaping links: " << run.err;
  }
  EXPECT_NE(run.out.find("2 Mbit/s"), std::string::npos) << run.out;
  const nlohmann::json doc = nlohmann::json::parse(ReadFileBytes(report));
  EXPECT_TRUE(doc["links_shaped"].get<bool>());
  const auto& uneven = doc["configurations"][1];
  EXPECT_EQ(uneven["nodes"][1]["link_mbit"].get<double>(), 2.0);
  EXPECT_EQ(uneven["identical_to_local"], 2);
  // A 2 Mbit/s link moves 250 kB/s: the plan keeps the big levels off it.
  for (const auto& image : uneven["ran_on"]) EXPECT_NE(image[0].get<int>(), 2) << uneven["ran_on"];
}

TEST_F(OffloadBench, AddsATiledConfiguration) {
  const std::string report = out_.Path("offload-tiled.json");
  const CliRun run = RunBench({"--nodes", "2", "--images", "2", "--width", "320", "--height", "240",
                               "--slowdowns", "1,2", "--delays-ms", "0,0", "--tile-pixels", "16384",
                               "--out", report, "--node-program", MSRF_CLI_PATH});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("uniform, tiled"), std::string::npos) << run.out;
  const nlohmann::json doc = nlohmann::json::parse(ReadFileBytes(report));
  ASSERT_EQ(doc["configurations"].size(), 5u);
  const auto& tiled = doc["configurations"][4];
  EXPECT_EQ(tiled["tile_pixels"], 16384);
  EXPECT_EQ(tiled["identical_to_local"], 2);
  // More units than levels: the tiles of level 0 at least.
  EXPECT_GT(tiled["levels_remote"].get<int>() + tiled["levels_local"].get<int>(),
            doc["configurations"][0]["levels_remote"].get<int>() +
                doc["configurations"][0]["levels_local"].get<int>());

  const CliRun bad = RunBench({"--tile-pixels", "100"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.ErrLines(), 1) << bad.err;
  EXPECT_NE(bad.err.find("--tile-pixels"), std::string::npos) << bad.err;
}

}  // namespace offload_bench_test
}  // namespace msrf::testing
