// The scheduler against fake nodes, in this process: nodes that answer, fail, time out,
// refuse or answer wrongly. Whatever they do, the detections equal a local run's.
#include "scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "msrf/grouping/detect.h"
#include "msrf/synth/scene.h"
#include "node_client.h"
#include "remote/node_process.h"
#include "support/test_support.h"

namespace msrf {
namespace scheduler_test {  // named: the remote tests are one unity build

using remote::CallResult;
using remote::LevelScheduler;
using remote::NodeClient;
using remote::RemoteOptions;
using remote::UnitRequest;

enum class Behaviour { kAnswer, kFail, kTimeOut, kWrongAnswer, kRefuse };

// What a fake node does, shared with the test that watches it.
struct FakeState {
  std::atomic<Behaviour> behaviour{Behaviour::kAnswer};
  std::atomic<bool> healthy{true};
  // Calls answered before `behaviour` applies: 1 lets the calibration through.
  int answer_first = 1;
  std::atomic<int> calls{0};
};

class FakeNode final : public NodeClient {
 public:
  explicit FakeNode(std::shared_ptr<FakeState> state) : state_(std::move(state)) {}

  bool CheckHealth() override { return state_->healthy; }

  CallResult Handshake(const std::string&, const std::string&) override {
    CallResult r;
    r.total_ms = 0.1;
    if (state_->behaviour == Behaviour::kRefuse) {
      r.status = Status(StatusCode::kUnavailable, "unauthenticated: wrong token");
      r.refusal = true;
    }
    return r;
  }

  CallResult RunLevel(const UnitRequest& request, const LevelJob& job, LevelOutput& out) override {
    CallResult r = Begin(request);
    if (!r.status.ok()) return r;
    Result<LevelOutput> level = RunLevelJob(job);
    if (!level.ok()) return Failed(level.status().message());
    out = std::move(level).value();
    if (Misbehaves() && state_->behaviour == Behaviour::kWrongAnswer) {
      out.summary.index += 1;  // an answer for another level
    }
    return r;
  }

  CallResult RunTile(const UnitRequest& request, const TileJob& job, TileOutput& out) override {
    CallResult r = Begin(request);
    if (!r.status.ok()) return r;
    Result<TileOutput> tile = RunTileJob(job);
    if (!tile.ok()) return Failed(tile.status().message());
    out = std::move(tile).value();
    return r;
  }

 private:
  bool Misbehaves() const { return calls_ > state_->answer_first; }

  static CallResult Failed(const std::string& why) {
    CallResult r;
    r.status = Status(StatusCode::kUnavailable, why);
    return r;
  }

  // Counts the call, and fails it when the node is to fail or time out. An answer looks
  // fast (1 ms), so that the plan gives the nodes work.
  CallResult Begin(const UnitRequest& request) {
    calls_ = ++state_->calls;
    if (Misbehaves() && state_->behaviour == Behaviour::kFail) {
      return Failed("unreachable: connection refused");
    }
    if (Misbehaves() && state_->behaviour == Behaviour::kTimeOut) {
      return Failed("no answer within 10 ms");
    }
    CallResult r;
    r.total_ms = 1.0;
    r.service_ms = 0.5;
    r.reply_bytes = request.bytes / 2;
    return r;
  }

  std::shared_ptr<FakeState> state_;
  int calls_ = 0;
};

// A LevelExecutor over a scheduler of fake nodes.
class FakeFleet final : public LevelExecutor {
 public:
  explicit FakeFleet(const std::vector<Behaviour>& behaviours, RemoteOptions options = Fleet()) {
    std::vector<std::unique_ptr<NodeClient>> clients;
    for (size_t k = 0; k < behaviours.size(); ++k) {
      auto state = std::make_shared<FakeState>();
      state->behaviour = behaviours[k];
      states.push_back(state);
      clients.push_back(std::make_unique<FakeNode>(state));
      remote::NodeEndpoint e;
      e.address = "fake" + std::to_string(k) + ":7700";
      options.nodes.push_back(e);
    }
    options.log = [this](const std::string& line) { log += line + "\n"; };
    scheduler = std::make_unique<LevelScheduler>(std::move(options), std::move(clients));
  }

  // The coordinator works only when no node can.
  static RemoteOptions Fleet() {
    RemoteOptions options;
    options.coordinator_works = false;
    return options;
  }

  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override {
    return scheduler->Run(jobs);
  }
  LevelExecutorReport Report() const override { return scheduler->Report(); }

  std::vector<std::shared_ptr<FakeState>> states;
  std::unique_ptr<LevelScheduler> scheduler;
  std::string log;
};

cv::Mat Scene(uint64_t seed) {
  TargetSceneOptions so;
  so.seed = seed;
  return DrawTargetScene(testing::BundledVase().points, so).image;
}

// The detections of `image` with `executor` equal a local run's, as JSON.
void ExpectLocalAnswer(const cv::Mat& image, LevelExecutor& executor, const std::string& log) {
  const ShapeModel model = testing::BundledVase();
  const DetectOptions options = testing::CannyDetectOptions();
  const std::string local =
      testing::DetectionsJsonOf(Detect(image, model, options), model, options, image.size());
  const std::string fleet = testing::DetectionsJsonOf(
      Detect(image, model, options, cv::Mat(), executor), model, options, image.size());
  EXPECT_FALSE(local.empty());
  EXPECT_EQ(local, fleet) << log;
}

int Levels(const cv::Mat& image) {
  return static_cast<int>(
      PyramidScales(image.size(), testing::CannyDetectOptions().fragments.pyramid).size());
}

TEST(LevelScheduler, NodesThatAnswerTakeEveryLevelAndGiveTheLocalAnswer) {
  FakeFleet fleet({Behaviour::kAnswer, Behaviour::kAnswer});
  const cv::Mat image = Scene(3);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_EQ(report.runs, 1);
  EXPECT_EQ(report.local_levels, 0);
  ASSERT_EQ(report.nodes.size(), 2u);
  EXPECT_EQ(report.nodes[0].levels_done + report.nodes[1].levels_done, Levels(image));
  EXPECT_GT(report.bytes_sent, 0);
  EXPECT_EQ(report.nodes[0].address, "fake0:7700");
}

TEST(LevelScheduler, AFailingNodeIsBenchedAndItsLevelsRerunElsewhere) {
  FakeFleet fleet({Behaviour::kFail, Behaviour::kAnswer});
  const cv::Mat image = Scene(4);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_TRUE(report.nodes[0].benched) << fleet.log;
  EXPECT_GE(report.nodes[0].levels_failed, 1) << fleet.log;
  EXPECT_EQ(report.nodes[0].levels_done, 0);
  EXPECT_NE(fleet.log.find("rerun"), std::string::npos) << fleet.log;
}

TEST(LevelScheduler, ANodeThatTimesOutIsBenchedAndTheRunEndsWithTheLocalAnswer) {
  FakeFleet fleet({Behaviour::kTimeOut});
  const cv::Mat image = Scene(5);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_TRUE(report.nodes[0].benched);
  EXPECT_EQ(report.nodes[0].last_error, "no answer within 10 ms");
  EXPECT_EQ(report.local_levels, Levels(image)) << fleet.log;
}

TEST(LevelScheduler, AWrongAnswerIsRejectedAndRerun) {
  FakeFleet fleet({Behaviour::kWrongAnswer, Behaviour::kAnswer});
  const cv::Mat image = Scene(6);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_EQ(report.nodes[0].levels_done, 0);
  EXPECT_NE(report.nodes[0].last_error.find("malformed level output"), std::string::npos)
      << report.nodes[0].last_error;
}

TEST(LevelScheduler, ARefusingNodeIsNotTriedAgainAndTheLevelsRunLocally) {
  FakeFleet fleet({Behaviour::kRefuse});
  const cv::Mat image = Scene(7);
  ExpectLocalAnswer(image, fleet, fleet.log);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_TRUE(report.nodes[0].disabled);
  EXPECT_EQ(fleet.states[0]->calls, 0);  // no level was ever sent
  EXPECT_EQ(report.local_levels, 2 * Levels(image));
  EXPECT_NE(fleet.log.find("not used again"), std::string::npos) << fleet.log;
}

TEST(LevelScheduler, ABenchedNodeIsBackOnceItsHealthCheckPasses) {
  FakeFleet fleet({Behaviour::kFail});
  fleet.states[0]->healthy = false;
  const cv::Mat image = Scene(8);
  ExpectLocalAnswer(image, fleet, fleet.log);
  EXPECT_TRUE(fleet.Report().nodes[0].benched);
  // Still unhealthy: the node gets nothing.
  const int calls = fleet.states[0]->calls;
  ExpectLocalAnswer(image, fleet, fleet.log);
  EXPECT_EQ(fleet.states[0]->calls, calls);
  // Healthy and answering again: it is back.
  fleet.states[0]->behaviour = Behaviour::kAnswer;
  fleet.states[0]->healthy = true;
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_FALSE(report.nodes[0].benched);
  EXPECT_GT(report.nodes[0].levels_done, 0) << fleet.log;
  EXPECT_NE(fleet.log.find("passed its health check"), std::string::npos) << fleet.log;
}

TEST(LevelScheduler, TiledLevelsOnFakeNodesGiveTheLocalAnswer) {
  RemoteOptions options = FakeFleet::Fleet();
  options.tile_pixels = 40000;
  FakeFleet fleet({Behaviour::kAnswer, Behaviour::kAnswer}, options);
  const cv::Mat image = Scene(9);
  ExpectLocalAnswer(image, fleet, fleet.log);
  const LevelExecutorReport report = fleet.Report();
  EXPECT_GT(report.nodes[0].tiles_done + report.nodes[1].tiles_done, 0);
  EXPECT_EQ(report.local_tiles, 0);
}

TEST(LevelScheduler, NoJobsIsNoRun) {
  FakeFleet fleet({Behaviour::kAnswer});
  Result<std::vector<LevelOutput>> out = fleet.Run({});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->empty());
  EXPECT_EQ(fleet.states[0]->calls, 0);
}

}  // namespace scheduler_test
}  // namespace msrf
