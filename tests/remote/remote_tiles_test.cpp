// Tiled levels on real edge nodes: the levels a run tiles are split over the nodes, merged
// on the coordinator, and give the local run's answer, byte for byte, through failures.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include "codec.h"
#include "msrf/grouping/detect.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/model_io.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/remote/remote_executor.h"
#include "msrf/remote/v1/level_worker.grpc.pb.h"
#include "msrf/synth/scene.h"
#include "remote/node_process.h"
#include "support/test_support.h"

namespace msrf {
namespace remote_tiles_test {  // named: the remote tests are one unity build

using remote::NodeEndpoint;
using remote::RemoteLevelExecutor;
using remote::RemoteOptions;
using testing::NodeProcess;
using testing::TestPki;

constexpr int kTilePixels = 256 * 256;

cv::Mat Scene(uint64_t seed, cv::Size size = {1024, 768}) {
  TargetSceneOptions so;
  so.seed = seed;
  so.size = size;
  return DrawTargetScene(testing::BundledVase().points, so).image;
}

// The level jobs Detect makes for `image`.
std::vector<LevelJob> Jobs(const cv::Mat& image, const DetectOptions& options,
                           const cv::Mat& strength = cv::Mat()) {
  const std::vector<double> scales = PyramidScales(image.size(), options.fragments.pyramid);
  std::vector<LevelJob> jobs(scales.size());
  for (size_t l = 0; l < scales.size(); ++l) {
    jobs[l].level =
        BuildImageLevel(image, strength, static_cast<int>(l), scales[l], options.fragments.pyramid);
    jobs[l].fragments = options.fragments;
    jobs[l].candidates = options.candidates;
    jobs[l].models = {testing::BundledVase()};
    jobs[l].image_size = image.size();
  }
  return jobs;
}

// Field by field, times aside.
void ExpectSameOutputs(const std::vector<LevelOutput>& a, const std::vector<LevelOutput>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t l = 0; l < a.size(); ++l) {
    SCOPED_TRACE("level " + std::to_string(l));
    EXPECT_EQ(a[l].summary.index, b[l].summary.index);
    EXPECT_EQ(a[l].summary.scale, b[l].summary.scale);
    EXPECT_EQ(a[l].summary.size, b[l].summary.size);
    EXPECT_EQ(a[l].summary.edge_pixels, b[l].summary.edge_pixels);
    EXPECT_EQ(a[l].summary.chains, b[l].summary.chains);
    EXPECT_EQ(a[l].summary.fragments, b[l].summary.fragments);
    ASSERT_EQ(a[l].fragments.size(), b[l].fragments.size());
    for (size_t i = 0; i < a[l].fragments.size(); ++i) {
      const Fragment& f = a[l].fragments[i];
      const Fragment& g = b[l].fragments[i];
      ASSERT_TRUE(f.id == g.id && f.level == g.level && f.parent == g.parent &&
                  f.points == g.points && f.resampled == g.resampled && f.length == g.length &&
                  f.bbox == g.bbox && f.closed == g.closed)
          << "fragment " << i;
    }
    ASSERT_EQ(a[l].candidates.size(), b[l].candidates.size());
    for (size_t m = 0; m < a[l].candidates.size(); ++m) {
      ASSERT_EQ(a[l].candidates[m].size(), b[l].candidates[m].size());
      for (size_t i = 0; i < a[l].candidates[m].size(); ++i) {
        const Candidate& c = a[l].candidates[m][i];
        const Candidate& d = b[l].candidates[m][i];
        ASSERT_TRUE(c.fragment == d.fragment && c.arc.start == d.arc.start &&
                    c.arc.end == d.arc.end && c.reversed == d.reversed &&
                    c.transform.scale == d.transform.scale &&
                    c.transform.angle == d.transform.angle &&
                    c.transform.translation == d.transform.translation && c.quality == d.quality &&
                    c.centre == d.centre && c.arc_fraction == d.arc_fraction)
            << "candidate " << i << " of model " << m;
      }
    }
  }
}

// A coordinator that tiles levels above kTilePixels and sends them to the nodes: it works
// only when none can.
struct Coordinator : testing::TestCoordinator {
  Coordinator(const TestPki& pki, const std::vector<const NodeProcess*>& nodes,
              int deadline_ms = 20000, int64_t max_level_pixels = 0, bool compact = false)
      : TestCoordinator(pki, nodes, Fleet(compact), [&](NodeEndpoint& e) {
          e.deadline_ms = deadline_ms;
          e.max_level_pixels = max_level_pixels;
        }) {}
  static RemoteOptions Fleet(bool compact) {
    RemoteOptions options;
    options.coordinator_works = false;
    options.tile_pixels = kTilePixels;
    options.compact = compact;
    return options;
  }
};

constexpr auto Json = testing::DetectionsJsonOf;

class RemoteTilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "the openssl command line is needed to make certificates";
  }
  // The level outputs of `jobs` with `executor` equal a local run's.
  static void ExpectSameAsLocal(const std::vector<LevelJob>& jobs, LevelExecutor& executor) {
    LocalLevelExecutor local;
    auto expected = local.Run(jobs);
    auto got = executor.Run(jobs);
    ASSERT_TRUE(expected.ok() && got.ok());
    ExpectSameOutputs(*expected, *got);
  }
  TestPki pki_;
};

TEST_F(RemoteTilesTest, TiledLevelsOnNodesGiveTheLocalAnswer) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b});
  const cv::Mat image = Scene(31);
  const DetectOptions options = testing::CannyDetectOptions();
  const std::vector<LevelJob> jobs = Jobs(image, options);
  ExpectSameAsLocal(jobs, *coordinator.executor);
  const remote::RunReport r = coordinator.executor->last_run();
  int tiles = 0;
  for (size_t u = 0; u < r.unit_tile.size(); ++u) {
    tiles += r.unit_tile[u] >= 0 ? 1 : 0;
    EXPECT_GT(r.ran_slot[u], 0) << "unit " << u << " ran on the coordinator";
  }
  EXPECT_GE(r.tiled_levels, 1);
  EXPECT_GT(tiles, 4);
  EXPECT_EQ(r.ran_slot.size(), r.unit_job.size());
  EXPECT_GT(r.merge_ms, 0.0);
  for (const remote::NodeStats& s : coordinator.executor->stats()) {
    EXPECT_GT(s.tiles_done, 0) << s.address << " got no tile";
    EXPECT_EQ(s.levels_failed, 0) << s.last_error;
  }
  EXPECT_EQ(coordinator.executor->local_tiles(), 0);

  // And the detections, through Detect.
  const ShapeModel model = testing::BundledVase();
  const cv::Mat other = Scene(32);
  EXPECT_EQ(Json(Detect(other, model, options), model, options, other.size()),
            Json(Detect(other, model, options, cv::Mat(), *coordinator.executor), model, options,
                 other.size()));
}

TEST_F(RemoteTilesTest, SameAnswerOnAnEthzImageWithBerkeleyEdges) {
  const std::string root = testing::EthzDevRoot();
  if (root.empty()) GTEST_SKIP() << "ETHZ dev half not found (../shared/datasets/ethz-dev)";
  auto image = ReadImage(root + "/Mugs/grid.jpg");
  ImageReadOptions unchanged;
  unchanged.imread_flags = -1;  // cv::IMREAD_UNCHANGED
  auto edges = ReadImage(root + "/Mugs/grid_edges.tif", unchanged);
  if (!image.ok() || !edges.ok()) GTEST_SKIP() << "Mugs/grid is not in the ETHZ copy";
  auto strength = EdgeStrengthFromMap(*edges);
  ASSERT_TRUE(strength.ok());
  auto model = LoadShapeModel(root + "/models/mug.tif");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  RemoteOptions options;
  options.coordinator_works = false;
  options.tile_pixels = 4 * 4096;  // ETHZ images are small: tiles of at most 128 x 128
  options.nodes = {pki_.Endpoint(a.address()), pki_.Endpoint(b.address())};
  auto executor = RemoteLevelExecutor::Create(options);
  ASSERT_TRUE(executor.ok());
  DetectOptions detect = testing::CannyDetectOptions();
  detect.fragments.edges.method = EdgeMethod::kSupplied;
  const std::string local =
      Json(Detect(*image, *model, detect, *strength), *model, detect, image->size());
  const std::string distributed =
      Json(Detect(*image, *model, detect, *strength, **executor), *model, detect, image->size());
  EXPECT_FALSE(local.empty());
  EXPECT_EQ(local, distributed);
  EXPECT_GE((*executor)->last_run().tiled_levels, 1);
  int tiles = 0;
  for (const remote::NodeStats& s : (*executor)->stats()) tiles += s.tiles_done;
  EXPECT_GT(tiles, 0);
}

TEST_F(RemoteTilesTest, CompactTilesKeepTheMapsAndChains) {
  // Compact runs are close, not equal, to local ones; their tiled and untiled runs agree on
  // everything but the quantised fragment coordinates.
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b}, 20000, 0, /*compact=*/true);
  const cv::Mat image = Scene(33, {800, 600});
  const std::vector<LevelJob> jobs = Jobs(image, testing::CannyDetectOptions());
  LocalLevelExecutor local;
  auto expected = local.Run(jobs);
  auto got = coordinator.executor->Run(jobs);
  ASSERT_TRUE(expected.ok() && got.ok());
  EXPECT_GT(coordinator.TilesDone(), 0);
  for (size_t l = 0; l < jobs.size(); ++l) {
    EXPECT_EQ((*got)[l].summary.edge_pixels, (*expected)[l].summary.edge_pixels);
    EXPECT_EQ((*got)[l].summary.chains, (*expected)[l].summary.chains);
    EXPECT_EQ((*got)[l].fragments.size(), (*expected)[l].fragments.size());
  }
}

TEST_F(RemoteTilesTest, ANodeKilledDuringTilesGivesTheLocalAnswer) {
  // After its calibration call the slow node takes 200 times as long over each tile, so it
  // is still working when it is killed, 150 ms after its calibration.
  NodeProcess slow(pki_, {"--slowdown", "200", "--slowdown-after", "1"}), good(pki_);
  ASSERT_TRUE(slow.running() && good.running());
  Coordinator coordinator(pki_, {&slow, &good}, 60000);
  const std::vector<LevelJob> jobs = Jobs(Scene(34, {800, 600}), testing::CannyDetectOptions());
  std::thread killer([&] {
    EXPECT_TRUE(coordinator.WaitUntilCalibrated(0));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    slow.Kill();
  });
  ExpectSameAsLocal(jobs, *coordinator.executor);
  killer.join();
  const std::vector<remote::NodeStats> stats = coordinator.executor->stats();
  EXPECT_GE(stats[0].levels_failed, 1) << coordinator.Log();
  EXPECT_TRUE(stats[0].benched);
  EXPECT_GT(stats[1].tiles_done, 0);
  EXPECT_NE(coordinator.Log().find(" tile "), std::string::npos) << coordinator.Log();
  EXPECT_NE(coordinator.Log().find("rerun on " + good.address()), std::string::npos)
      << coordinator.Log();
}

TEST_F(RemoteTilesTest, GarbageTileAnswersAreRejectedAndRerun) {
  NodeProcess liar(pki_, {"--fault", "garbage"}), good(pki_);
  ASSERT_TRUE(liar.running() && good.running());
  Coordinator coordinator(pki_, {&liar, &good});
  ExpectSameAsLocal(Jobs(Scene(35, {800, 600}), testing::CannyDetectOptions()),
                    *coordinator.executor);
  const std::vector<remote::NodeStats> stats = coordinator.executor->stats();
  EXPECT_EQ(stats[0].tiles_done + stats[0].levels_done, 0);
  EXPECT_GT(stats[1].tiles_done, 0);
  EXPECT_NE(stats[0].last_error.find("malformed"), std::string::npos) << coordinator.Log();
}

TEST_F(RemoteTilesTest, ANodeTooSmallForTheLevelTakesItsTiles) {
  // Tile crops are at most 256 x 256 plus the margins; level 0 is 786432 pixels.
  NodeProcess small(pki_);
  ASSERT_TRUE(small.running());
  const int64_t max_pixels = 330 * 330;
  Coordinator coordinator(pki_, {&small}, 20000, max_pixels);
  const std::vector<LevelJob> jobs = Jobs(Scene(36), testing::CannyDetectOptions());
  ASSERT_GT(static_cast<int64_t>(jobs[0].level.image.total()), max_pixels);
  ExpectSameAsLocal(jobs, *coordinator.executor);
  const remote::RunReport r = coordinator.executor->last_run();
  bool level0_tile_on_node = false;
  for (size_t u = 0; u < r.unit_job.size(); ++u) {
    if (r.unit_job[u] == 0 && r.unit_tile[u] >= 0 && r.ran_slot[u] == 1) level0_tile_on_node = true;
  }
  EXPECT_TRUE(level0_tile_on_node);
  EXPECT_EQ(coordinator.executor->local_levels(), 0) << coordinator.Log();
  EXPECT_EQ(coordinator.executor->local_tiles(), 0) << coordinator.Log();
  EXPECT_GT(coordinator.executor->stats()[0].tiles_done, 0);
}

TEST_F(RemoteTilesTest, NodesRefuseSpoiledTileRequests) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = pki_.Read("ca.pem");
  ssl.pem_cert_chain = pki_.Read("client.pem");
  ssl.pem_private_key = pki_.Read("client.key");
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto stub = remote::v1::LevelWorker::NewStub(
      grpc::CreateCustomChannel(node.address(), grpc::SslCredentials(ssl), args));
  const ImageLevel level =
      BuildImageLevel(Scene(37, {320, 240}), cv::Mat(), 0, 1.0, PyramidOptions());
  TileOptions tiles;
  tiles.columns = 2;
  tiles.rows = 2;
  auto plan = PlanTiles(level, testing::CannyMultiscaleOptions(), tiles);
  ASSERT_TRUE(plan.ok());
  const TileJob job = (*MakeTileJobs(level, *plan))[3];
  remote::v1::TileRequest good;
  remote::EncodeTileRequest(job, remote::LevelOptionsJson(plan->options, CandidateOptions()), good);
  auto call = [&](const remote::v1::TileRequest& request, bool deadline = true,
                  const std::string& token = "test-token-0123456789abcdef") {
    grpc::ClientContext context;
    if (deadline) context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    context.AddMetadata("authorization", "Bearer " + token);
    remote::v1::TileReply reply;
    return stub->RunTile(&context, request, &reply);
  };
  EXPECT_TRUE(call(good).ok());
  EXPECT_EQ(call(good, true, "wrong-token-0123456789abcdef").error_code(), grpc::UNAUTHENTICATED);
  EXPECT_EQ(call(good, false).error_code(), grpc::INVALID_ARGUMENT);
  const std::vector<std::pair<const char*, std::function<void(remote::v1::TileRequest&)>>> cases = {
      {"core outside the crop", [](auto& r) { r.set_core_x(r.crop_x() - 1); }},
      {"crop beyond the level", [](auto& r) { r.set_level_width(r.crop_x() + 1); }},
      {"tile out of range", [](auto& r) { r.set_tile(1 << 20); }},
      {"NaN scale", [](auto& r) { r.mutable_crop()->set_scale(std::nan("")); }},
      {"image bytes short", [](auto& r) { r.mutable_crop()->mutable_image()->pop_back(); }},
      {"options not JSON", [](auto& r) { r.mutable_crop()->set_options_json("{"); }},
  };
  for (const auto& [what, spoil] : cases) {
    remote::v1::TileRequest bad = good;
    spoil(bad);
    const grpc::Status s = call(bad);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << what << ": " << s.error_message();
  }
}

}  // namespace remote_tiles_test
}  // namespace msrf
