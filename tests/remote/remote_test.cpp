// Edge nodes end to end: real `msrf node serve` processes on loopback, and the coordinator's
// answer compared with a local run's, byte for byte, through every failure.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "codec.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "msrf/core/build_info.h"
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
namespace remote_test {  // named: the remote tests are one unity build

using remote::NodeEndpoint;
using remote::RemoteLevelExecutor;
using remote::RemoteOptions;
using testing::NodeProcess;
using testing::TestPki;
using Clock = std::chrono::steady_clock;

cv::Mat Scene(uint64_t seed) {
  TargetSceneOptions so;
  so.seed = seed;
  return DrawTargetScene(testing::BundledVase().points, so).image;
}

// A coordinator whose levels go to the nodes: it works only when none can.
struct Coordinator : testing::TestCoordinator {
  Coordinator(const TestPki& pki, const std::vector<const NodeProcess*>& nodes,
              int deadline_ms = 5000, const std::string& token = "", bool replan = true)
      : TestCoordinator(pki, nodes, Fleet(replan), [&](NodeEndpoint& e) {
          e.deadline_ms = deadline_ms;
          if (!token.empty()) e.token = token;
        }) {}
  static RemoteOptions Fleet(bool replan) {
    RemoteOptions options;
    options.coordinator_works = false;
    options.replan = replan;
    return options;
  }
};

constexpr auto Json = testing::DetectionsJsonOf;

class RemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "the openssl command line is needed to make certificates";
  }
  // Detections of `image` in this process and with `executor`, as JSON. The distributed run
  // may take at most `max_seconds` longer than the local one: a bound on waiting out failed
  // nodes (a hang or a missed deadline), not on the work both runs share, such as the
  // boundary map found here before any level is sent.
  // `during`, if given, runs on a thread of its own while the distributed run goes on.
  void ExpectSameAsLocal(const cv::Mat& image, LevelExecutor& executor, double max_seconds,
                         const std::string& context, const std::function<void()>& during = {},
                         const DetectOptions& options = {}) {
    const ShapeModel model = testing::BundledVase();
    const auto local_start = Clock::now();
    const std::string local = Json(Detect(image, model, options), model, options, image.size());
    const double local_seconds = std::chrono::duration<double>(Clock::now() - local_start).count();
    std::thread side;
    if (during) side = std::thread(during);
    const auto start = Clock::now();
    const std::string distributed =
        Json(Detect(image, model, options, cv::Mat(), executor), model, options, image.size());
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (side.joinable()) side.join();
    EXPECT_FALSE(local.empty());
    EXPECT_EQ(local, distributed) << context;
    EXPECT_LT(seconds - local_seconds, max_seconds)
        << context << ": " << seconds << " s against " << local_seconds << " s here";
  }
  TestPki pki_;
};

TEST_F(RemoteTest, ThreeNodesGiveTheLocalAnswerOnGeneratedScenes) {
  NodeProcess a(pki_), b(pki_), c(pki_);
  ASSERT_TRUE(a.running() && b.running() && c.running());
  Coordinator coordinator(pki_, {&a, &b, &c});
  int levels = 0;
  for (uint64_t seed : {3, 7, 12}) {
    const cv::Mat image = Scene(seed);
    ExpectSameAsLocal(image, *coordinator.executor, 30.0, "seed " + std::to_string(seed));
    levels += static_cast<int>(PyramidScales(image.size(), PyramidOptions()).size());
  }
  EXPECT_EQ(coordinator.LevelsDone(), levels) << coordinator.Log();
  EXPECT_EQ(coordinator.executor->local_levels(), 0);
  for (const remote::NodeStats& s : coordinator.executor->stats()) {
    EXPECT_GT(s.levels_done, 0) << s.address << " got no work";
    EXPECT_EQ(s.levels_failed, 0) << s.last_error;
  }
}

// The model's variants (stretched, mirrored) get their candidates in the level jobs too.
TEST_F(RemoteTest, StretchedAndMirroredModelsGiveTheLocalAnswer) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b});
  DetectOptions options;
  options.stretches = {1.0 / 1.3, 1.0, 1.3};
  options.mirror = true;
  ExpectSameAsLocal(Scene(7), *coordinator.executor, 30.0, "variants", {}, options);
  EXPECT_EQ(coordinator.executor->local_levels(), 0);
}

TEST_F(RemoteTest, NodesAreCalibratedAndThePlanPredictsTheRun) {
  // Devices 2 and 16 times slower than this machine: emulated from CPU time, their speeds
  // hold however busy the machine is (a node at full speed would slow down with it).
  NodeProcess a(pki_, {"--slowdown", "2"}), b(pki_, {"--slowdown", "16"});
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b});
  TargetSceneOptions so;
  so.size = {800, 600};
  const cv::Mat image = DrawTargetScene(testing::BundledVase().points, so).image;
  for (int i = 0; i < 3; ++i) ExpectSameAsLocal(image, *coordinator.executor, 30.0, "calibrated");
  const std::vector<remote::NodeStats> s = coordinator.executor->stats();
  for (const remote::NodeStats& n : s) {
    EXPECT_GT(n.latency_ms, 0.0);
    EXPECT_GT(n.bytes_per_ms, 0.0);
    EXPECT_GT(n.work_per_ms, 0.0);
  }
  // The node slowed eight times more is measured slower.
  EXPECT_GT(s[0].work_per_ms, 2.0 * s[1].work_per_ms);
  const remote::RunReport r = coordinator.executor->last_run();
  ASSERT_EQ(r.planned_slot.size(), PyramidScales(image.size(), PyramidOptions()).size());
  EXPECT_EQ(r.planned_slot[0], 1) << "the largest level goes to the fast node";
  EXPECT_EQ(r.ran_slot, r.planned_slot);
  EXPECT_TRUE(r.exact);
  EXPECT_GT(r.predicted_makespan_ms, 0.0);
  EXPECT_GT(r.measured_makespan_ms, 0.0);
  EXPECT_GT(r.bytes_sent, static_cast<int64_t>(image.total()));
  EXPECT_GT(r.bytes_received, 0);
}

TEST_F(RemoteTest, ANodeThatSlowsDownLosesWork) {
  // The node runs normally until every level has been measured once (its calibration call
  // and at most one call per level in the first run), then thirty times slower (far beyond
  // what a busy machine does to the other node). A device that slows down while a level is
  // seen for the first time is another case: the level's work factor would absorb it.
  auto pixels_on = [](const remote::RunReport& r, int slot, const std::vector<double>& sizes) {
    double total = 0;
    for (size_t j = 0; j < r.planned_slot.size(); ++j)
      total += r.planned_slot[j] == slot ? sizes[j] : 0;
    return total;
  };
  TargetSceneOptions so;
  so.size = {640, 480};
  const cv::Mat image = DrawTargetScene(testing::BundledVase().points, so).image;
  std::vector<double> sizes;
  for (double scale : PyramidScales(image.size(), PyramidOptions())) sizes.push_back(scale * scale);
  const std::string after = std::to_string(1 + sizes.size());
  NodeProcess b(pki_);
  ASSERT_TRUE(b.running());
  for (bool replan : {true, false}) {
    NodeProcess fresh(pki_, {"--slowdown", "30", "--slowdown-after", after});
    ASSERT_TRUE(fresh.running());
    Coordinator coordinator(pki_, {&fresh, &b}, 20000, "", replan);
    std::vector<double> share;
    bool replanned = false;
    for (int i = 0; i < 6; ++i) {
      ExpectSameAsLocal(image, *coordinator.executor, 60.0, replan ? "replan" : "first plan kept");
      share.push_back(pixels_on(coordinator.executor->last_run(), 1, sizes));
      replanned |= coordinator.executor->last_run().replanned;
    }
    if (replan) {
      EXPECT_TRUE(replanned);
      EXPECT_LT(share.back(), share.front())
          << "the slowed node keeps its work; its pixels run by run: "
          << ::testing::PrintToString(share);
    } else {
      EXPECT_FALSE(replanned);
      EXPECT_EQ(share.back(), share.front());
    }
  }
}

TEST_F(RemoteTest, SameAnswerOnEthzDevImagesWithBerkeleyEdges) {
  const std::string root = testing::EthzDevRoot();
  if (root.empty()) GTEST_SKIP() << "ETHZ dev half not found (../shared/datasets/ethz-dev)";
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b});
  auto model = LoadShapeModel(root + "/models/mug.tif");
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  DetectOptions options;
  options.fragments.edges.method = EdgeMethod::kSupplied;
  for (const std::string name : {"Mugs/grid", "Swans/aal"}) {
    auto image = ReadImage(root + "/" + name + ".jpg");
    ImageReadOptions unchanged;
    unchanged.imread_flags = -1;  // cv::IMREAD_UNCHANGED
    auto edges = ReadImage(root + "/" + name + "_edges.tif", unchanged);
    if (!image.ok() || !edges.ok()) GTEST_SKIP() << name << " is not in the ETHZ copy";
    auto strength = EdgeStrengthFromMap(*edges);
    ASSERT_TRUE(strength.ok());
    const std::string local =
        Json(Detect(*image, *model, options, *strength), *model, options, image->size());
    const std::string distributed =
        Json(Detect(*image, *model, options, *strength, *coordinator.executor), *model, options,
             image->size());
    EXPECT_FALSE(local.empty());
    EXPECT_EQ(local, distributed) << name;
  }
  EXPECT_EQ(coordinator.executor->local_levels(), 0) << coordinator.Log();
}

TEST_F(RemoteTest, NodeKilledMidJobIsRerunElsewhere) {
  // After its calibration call the slow node takes 200 times as long over each level, so it
  // is still working when it is killed, 150 ms after its calibration.
  NodeProcess slow(pki_, {"--slowdown", "200", "--slowdown-after", "1"}), good(pki_);
  ASSERT_TRUE(slow.running() && good.running());
  Coordinator coordinator(pki_, {&slow, &good}, 60000);
  ExpectSameAsLocal(Scene(5), *coordinator.executor, 10.0, "killed mid-job", [&] {
    EXPECT_TRUE(coordinator.WaitUntilCalibrated(0));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    slow.Kill();
  });
  const std::vector<remote::NodeStats> stats = coordinator.executor->stats();
  EXPECT_GE(stats[0].levels_failed, 1) << coordinator.Log();
  EXPECT_TRUE(stats[0].benched);
  EXPECT_NE(coordinator.Log().find(slow.address().substr(10)), std::string::npos);
  EXPECT_NE(coordinator.Log().find("rerun on " + good.address()), std::string::npos)
      << coordinator.Log();
}

TEST_F(RemoteTest, FrozenNodeIsBenchedThenBackAfterItsHealthCheck) {
  NodeProcess frozen(pki_), good(pki_);
  ASSERT_TRUE(frozen.running() && good.running());
  Coordinator coordinator(pki_, {&frozen, &good}, /*deadline_ms=*/1000);
  ExpectSameAsLocal(Scene(6), *coordinator.executor, 10.0, "warm-up");
  const int before = coordinator.executor->stats()[0].levels_done;
  EXPECT_GT(before, 0);

  frozen.Freeze();
  ExpectSameAsLocal(Scene(8), *coordinator.executor, 6.0, "frozen past the deadline");
  EXPECT_TRUE(coordinator.executor->stats()[0].benched) << coordinator.Log();
  EXPECT_NE(coordinator.Log().find("no answer within 1000 ms"), std::string::npos)
      << coordinator.Log();
  // Still frozen: its health check fails, it gets no work, the answer stays the local one.
  ExpectSameAsLocal(Scene(9), *coordinator.executor, 6.0, "still frozen");
  EXPECT_EQ(coordinator.executor->stats()[0].levels_done, before);

  frozen.Thaw();
  ExpectSameAsLocal(Scene(10), *coordinator.executor, 10.0, "thawed");
  EXPECT_FALSE(coordinator.executor->stats()[0].benched);
  EXPECT_GT(coordinator.executor->stats()[0].levels_done, before) << coordinator.Log();
  EXPECT_NE(coordinator.Log().find("passed its health check"), std::string::npos);
}

TEST_F(RemoteTest, MalformedAnswerIsRejectedAndRerun) {
  NodeProcess liar(pki_, {"--fault", "garbage"}), good(pki_);
  ASSERT_TRUE(liar.running() && good.running());
  Coordinator coordinator(pki_, {&liar, &good});
  ExpectSameAsLocal(Scene(11), *coordinator.executor, 10.0, "garbage");
  EXPECT_EQ(coordinator.executor->stats()[0].levels_done, 0);
  EXPECT_NE(coordinator.executor->stats()[0].last_error.find("malformed"), std::string::npos)
      << coordinator.Log();
}

TEST_F(RemoteTest, EveryNodeGoneRunsLocally) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  Coordinator coordinator(pki_, {&a, &b});
  a.Kill();
  b.Kill();
  const cv::Mat image = Scene(13);
  ExpectSameAsLocal(image, *coordinator.executor, 10.0, "no nodes");
  EXPECT_EQ(coordinator.executor->local_levels(),
            static_cast<int>(PyramidScales(image.size(), PyramidOptions()).size()));
  EXPECT_NE(coordinator.Log().find("no node is usable: the levels run locally"), std::string::npos)
      << coordinator.Log();
}

TEST_F(RemoteTest, WrongTokenIsRefusedAndNotTriedAgain) {
  NodeProcess a(pki_);
  ASSERT_TRUE(a.running());
  Coordinator coordinator(pki_, {&a}, 5000, "wrong-token-0123456789abcdef");
  ExpectSameAsLocal(Scene(14), *coordinator.executor, 10.0, "wrong token");
  const remote::NodeStats s = coordinator.executor->stats()[0];
  EXPECT_TRUE(s.disabled);
  EXPECT_EQ(s.levels_done, 0);
  EXPECT_NE(s.last_error.find("token"), std::string::npos) << s.last_error;
}

TEST_F(RemoteTest, CertificateFromAnotherCaIsRefusedAndTheRunStaysLocal) {
  NodeProcess a(pki_);
  ASSERT_TRUE(a.running());
  RemoteOptions options;
  NodeEndpoint e = pki_.Endpoint(a.address());
  e.cert_pem = pki_.Read("rogue.pem");
  e.key_pem = pki_.Read("rogue.key");
  options.nodes = {e};
  auto executor = RemoteLevelExecutor::Create(options);
  ASSERT_TRUE(executor.ok());
  const cv::Mat image = Scene(15);
  ExpectSameAsLocal(image, **executor, 10.0, "rogue certificate");
  EXPECT_EQ((*executor)->stats()[0].levels_done, 0);
  EXPECT_TRUE((*executor)->stats()[0].benched);
  EXPECT_EQ((*executor)->local_levels(),
            static_cast<int>(PyramidScales(image.size(), PyramidOptions()).size()));
}

// Raw calls, as a client that is not msrf's coordinator would make them.
class RawClientTest : public RemoteTest {
 protected:
  std::shared_ptr<grpc::Channel> Channel(const std::string& address, const std::string& cert,
                                         const std::string& key) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pki_.Read("ca.pem");
    if (!cert.empty()) ssl.pem_cert_chain = pki_.Read(cert);
    if (!key.empty()) ssl.pem_private_key = pki_.Read(key);
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetMaxSendMessageSize(64 << 20);
    return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), args);
  }
  static void Prepare(grpc::ClientContext& context,
                      const std::string& token = "test-token-0123456789abcdef") {
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  }
  static std::string OptionsJson() {
    return remote::LevelOptionsJson(testing::CannyMultiscaleOptions(), CandidateOptions());
  }
  grpc::Status Handshake(const std::shared_ptr<grpc::Channel>& channel, const std::string& build,
                         const std::string& hash,
                         const std::string& token = "test-token-0123456789abcdef") {
    auto stub = remote::v1::LevelWorker::NewStub(channel);
    grpc::ClientContext context;
    Prepare(context, token);
    remote::v1::HandshakeRequest request;
    request.set_build_id(build);
    request.set_options_json(OptionsJson());
    request.set_options_hash(hash);
    remote::v1::HandshakeReply reply;
    return stub->Handshake(&context, request, &reply);
  }
  // A valid request for level 0 of a small scene, for the tests to spoil.
  static remote::v1::LevelRequest ValidRequest() {
    LevelJob job;
    job.fragments = testing::CannyMultiscaleOptions();
    job.level = BuildImageLevel(Scene(2), cv::Mat(), 0, 1.0, PyramidOptions());
    job.image_size = job.level.base_size;
    job.models = {testing::BundledVase()};
    remote::v1::LevelRequest request;
    remote::EncodeLevelRequest(job, OptionsJson(), request);
    return request;
  }
  grpc::Status RunLevel(const std::shared_ptr<grpc::Channel>& channel,
                        const remote::v1::LevelRequest& request, bool deadline = true) {
    auto stub = remote::v1::LevelWorker::NewStub(channel);
    grpc::ClientContext context;
    if (deadline) {
      Prepare(context);
    } else {
      context.AddMetadata("authorization", "Bearer test-token-0123456789abcdef");
    }
    remote::v1::LevelReply reply;
    return stub->RunLevel(&context, request, &reply);
  }
};

TEST_F(RawClientTest, ClientsWithoutTheCaSignedCertificateAreRefused) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  const std::string hash = remote::OptionsHash(OptionsJson());
  EXPECT_TRUE(Handshake(Channel(node.address(), "client.pem", "client.key"), BuildId(), hash).ok());
  const grpc::Status no_cert = Handshake(Channel(node.address(), "", ""), BuildId(), hash);
  EXPECT_EQ(no_cert.error_code(), grpc::UNAVAILABLE) << no_cert.error_message();
  const grpc::Status rogue =
      Handshake(Channel(node.address(), "rogue.pem", "rogue.key"), BuildId(), hash);
  EXPECT_EQ(rogue.error_code(), grpc::UNAVAILABLE) << rogue.error_message();
}

TEST_F(RawClientTest, WrongOrMissingTokenIsUnauthenticated) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  auto channel = Channel(node.address(), "client.pem", "client.key");
  const std::string hash = remote::OptionsHash(OptionsJson());
  EXPECT_EQ(Handshake(channel, BuildId(), hash, "wrong-token-0123456789abcdef").error_code(),
            grpc::UNAUTHENTICATED);
  EXPECT_EQ(Handshake(channel, BuildId(), hash, "").error_code(), grpc::UNAUTHENTICATED);
  EXPECT_EQ(Handshake(channel, BuildId(), hash, "test-token-0123456789abcdeX").error_code(),
            grpc::UNAUTHENTICATED);
}

TEST_F(RawClientTest, HandshakeRefusesAnotherBuildOrOtherOptions) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  auto channel = Channel(node.address(), "client.pem", "client.key");
  const grpc::Status build =
      Handshake(channel, "0.0.1+elsewhere", remote::OptionsHash(OptionsJson()));
  EXPECT_EQ(build.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(build.error_message().find("build mismatch"), std::string::npos)
      << build.error_message();
  const grpc::Status options = Handshake(channel, BuildId(), "0123456789abcdef");
  EXPECT_EQ(options.error_code(), grpc::FAILED_PRECONDITION);
  EXPECT_NE(options.error_message().find("options mismatch"), std::string::npos);
}

TEST_F(RawClientTest, EveryRequestFieldIsValidated) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  auto channel = Channel(node.address(), "client.pem", "client.key");
  EXPECT_TRUE(RunLevel(channel, ValidRequest()).ok());
  struct Case {
    const char* what;
    std::function<void(remote::v1::LevelRequest&)> spoil;
  };
  const std::vector<Case> cases = {
      {"level out of range", [](auto& r) { r.set_index(16); }},
      {"negative level", [](auto& r) { r.set_index(-1); }},
      {"NaN scale", [](auto& r) { r.set_scale(std::nan("")); }},
      {"scale above 1", [](auto& r) { r.set_scale(1.5); }},
      {"image bytes short", [](auto& r) { r.mutable_image()->pop_back(); }},
      {"level larger than its base", [](auto& r) { r.set_base_width(r.width() - 1); }},
      {"edge strength without supplied edges",
       [](auto& r) { r.set_edge_strength(std::string(4 * r.image().size(), '\0')); }},
      {"model with a NaN point", [](auto& r) { r.mutable_models(0)->set_points(3, std::nan("")); }},
      {"model drawn flags short",
       [](auto& r) { r.mutable_models(0)->mutable_drawn()->pop_back(); }},
      {"options not JSON", [](auto& r) { r.set_options_json("{"); }},
  };
  for (const Case& c : cases) {
    remote::v1::LevelRequest request = ValidRequest();
    c.spoil(request);
    const grpc::Status s = RunLevel(channel, request);
    EXPECT_EQ(s.error_code(), grpc::INVALID_ARGUMENT) << c.what << ": " << s.error_message();
  }
  const grpc::Status no_deadline = RunLevel(channel, ValidRequest(), /*deadline=*/false);
  EXPECT_EQ(no_deadline.error_code(), grpc::INVALID_ARGUMENT) << no_deadline.error_message();
}

TEST_F(RawClientTest, MessagesOverTheCapAreRefused) {
  NodeProcess node(pki_, {"--max-message-mb", "1"});
  ASSERT_TRUE(node.running());
  remote::v1::LevelRequest request = ValidRequest();
  request.mutable_image()->append(std::string(2 << 20, '\0'));
  const grpc::Status s = RunLevel(Channel(node.address(), "client.pem", "client.key"), request);
  EXPECT_EQ(s.error_code(), grpc::RESOURCE_EXHAUSTED) << s.error_message();
}

TEST_F(RawClientTest, HealthServiceAnswers) {
  NodeProcess node(pki_);
  ASSERT_TRUE(node.running());
  auto stub =
      grpc::health::v1::Health::NewStub(Channel(node.address(), "client.pem", "client.key"));
  grpc::ClientContext context;
  Prepare(context);
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(stub->Check(&context, {}, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace remote_test
}  // namespace msrf
