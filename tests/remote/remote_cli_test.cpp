// `msrf detect --nodes`, `msrf fragments --nodes` and `msrf node serve` as a user runs them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "cli/cli_support.h"
#include "remote/node_process.h"

namespace msrf::testing {
namespace remote_cli_test {  // named: the remote tests are one unity build

class RemoteCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "the openssl command line is needed to make certificates";
  }
  // A generous handshake deadline: the sanitizer builds and a busy machine make the first
  // TLS handshake slow, and these tests are about the command, not about timeouts.
  std::string NodesFile(const std::vector<const NodeProcess*>& nodes) {
    std::string list;
    for (const NodeProcess* n : nodes) {
      list += std::string(list.empty() ? "" : ", ") + "{\"address\": \"" + n->address() + "\"}";
    }
    const std::string path = pki_.Path("nodes.json");
    std::ofstream(path) << R"({"ca": "ca.pem", "cert": "client.pem", "key": "client.key",
                               "token_file": "token", "deadline_ms": 5000,
                               "handshake_deadline_ms": 30000, "nodes": [)"
                        << list << "]}";
    return path;
  }
  TestPki pki_;
  TempDir out_;
};

TEST_F(RemoteCliTest, DetectWithNodesWritesTheLocalRunsJson) {
  NodeProcess a(pki_), b(pki_), c(pki_);
  ASSERT_TRUE(a.running() && b.running() && c.running());
  const std::string scene = out_.Path("scene.png");
  ASSERT_EQ(
      RunCli({"synth", "--target", std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json",
              "--seed", "9", "--out", scene})
          .exit_code,
      0);
  const std::string model = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";
  const CliRun local =
      RunCli({"detect", scene, "--model", model, "--no-timing", "--out", out_.Path("local.json")});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const CliRun remote = RunCli({"detect", scene, "--model", model, "--no-timing", "--out",
                                out_.Path("remote.json"), "--nodes", NodesFile({&a, &b, &c})});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.err, "");  // nothing went wrong, so nothing is said
  EXPECT_EQ(ReadFileBytes(out_.Path("local.json")), ReadFileBytes(out_.Path("remote.json")));

  b.Kill();
  const CliRun degraded = RunCli({"detect", scene, "--model", model, "--no-timing", "--out",
                                  out_.Path("degraded.json"), "--nodes", NodesFile({&a, &b, &c})});
  ASSERT_EQ(degraded.exit_code, 0) << degraded.err;
  EXPECT_NE(degraded.err.find(b.address() + " failed"), std::string::npos) << degraded.err;
  EXPECT_EQ(ReadFileBytes(out_.Path("local.json")), ReadFileBytes(out_.Path("degraded.json")));
}

TEST_F(RemoteCliTest, FragmentsWithNodesWritesTheLocalRunsJson) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  const std::string scene = out_.Path("scene.png");
  ASSERT_EQ(
      RunCli({"synth", "--target", std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json",
              "--seed", "4", "--out", scene})
          .exit_code,
      0);
  const CliRun local =
      RunCli({"fragments", scene, "--no-timing", "--out", out_.Path("local.json")});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const CliRun remote = RunCli({"fragments", scene, "--no-timing", "--out",
                                out_.Path("remote.json"), "--nodes", NodesFile({&a, &b})});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.err, "");
  EXPECT_NE(ReadFileBytes(out_.Path("local.json")), "");
  EXPECT_EQ(ReadFileBytes(out_.Path("local.json")), ReadFileBytes(out_.Path("remote.json")));
  // As detect --nodes does, it says where the levels ran.
  EXPECT_NE(remote.out.find("node " + a.address() + ": "), std::string::npos) << remote.out;
  EXPECT_EQ(local.out.find("node "), std::string::npos) << local.out;

  // A node gone: its levels run elsewhere, with the same answer.
  b.Kill();
  const CliRun degraded = RunCli({"fragments", scene, "--no-timing", "--out",
                                  out_.Path("degraded.json"), "--nodes", NodesFile({&a, &b})});
  ASSERT_EQ(degraded.exit_code, 0) << degraded.err;
  EXPECT_NE(degraded.err.find(b.address() + " failed"), std::string::npos) << degraded.err;
  EXPECT_EQ(ReadFileBytes(out_.Path("local.json")), ReadFileBytes(out_.Path("degraded.json")));
}

TEST_F(RemoteCliTest, FragmentsWithABadNodesFileGetsOneLineAndExitTwo) {
  const std::string scene = out_.Path("scene.png");
  ASSERT_EQ(
      RunCli({"synth", "--target", std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json",
              "--seed", "4", "--out", scene})
          .exit_code,
      0);
  const std::string nodes = out_.Path("nodes.json");
  std::ofstream(nodes) << R"({"nodes": []})";
  const CliRun run = RunCli({"fragments", scene, "--out", out_.Path("f.json"), "--nodes", nodes});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_EQ(run.ErrLines(), 1) << run.err;
  EXPECT_EQ(run.err.rfind("msrf fragments: error: --nodes: " + nodes, 0), 0u) << run.err;
  EXPECT_NE(run.err.find("\"nodes\" must be an array"), std::string::npos) << run.err;
  EXPECT_FALSE(std::ifstream(out_.Path("f.json")).good());
}

TEST_F(RemoteCliTest, DetectOnSeveralImagesSharesTheNodesAndWritesEachLocalJson) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  const std::string model = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";
  std::vector<std::string> scenes;
  for (const char* seed : {"3", "4", "5"}) {
    scenes.push_back(out_.Path(std::string("scene") + seed + ".png"));
    ASSERT_EQ(
        RunCli({"synth", "--target", model, "--seed", seed, "--out", scenes.back()}).exit_code, 0);
  }
  std::vector<std::string> args = {"detect"};
  args.insert(args.end(), scenes.begin(), scenes.end());
  args.insert(args.end(), {"--model", model, "--no-timing"});
  std::vector<std::string> local = args, remote = args;
  local.insert(local.end(), {"--out", out_.Path("local")});
  remote.insert(remote.end(), {"--out", out_.Path("remote"), "--nodes", NodesFile({&a, &b})});
  const CliRun l = RunCli(local);
  ASSERT_EQ(l.exit_code, 0) << l.err;
  const CliRun r = RunCli(remote);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"scene3.json", "scene4.json", "scene5.json"}) {
    EXPECT_EQ(ReadFileBytes(out_.Path(std::string("local/") + name)),
              ReadFileBytes(out_.Path(std::string("remote/") + name)))
        << name;
  }
  // One line per image, then where the levels ran and each node's figures.
  EXPECT_NE(r.out.find("scene5.png: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("plan changed between images"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("node " + a.address() + ": "), std::string::npos) << r.out;
  EXPECT_EQ(l.out.find("plan changed"), std::string::npos) << l.out;
}

TEST_F(RemoteCliTest, BadNodeInputGetsOneLineAndExitTwo) {
  const std::string model = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";
  const std::string image = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase_scene.png";
  std::ofstream(pki_.Path("short-token")) << "abc\n";
  std::ofstream(pki_.Path("bad.json")) << R"({"nodes": [{"address": "127.0.0.1:1", "bogus": 1}]})";
  const std::vector<std::vector<std::string>> cases = {
      {"detect", image, "--model", model, "--out", out_.Path("x.json"), "--nodes",
       pki_.Path("none.json")},
      {"detect", image, "--model", model, "--out", out_.Path("x.json"), "--nodes",
       pki_.Path("bad.json")},
      {"node", "serve", "--listen", "0.0.0.0:0", "--insecure", "--token-file", pki_.Path("token")},
      {"node", "serve", "--listen", "127.0.0.1:0", "--token-file", pki_.Path("token")},
      {"node", "serve", "--listen", "127.0.0.1:0", "--cert", pki_.Path("nope.pem"), "--key",
       pki_.Path("node.key"), "--ca", pki_.Path("ca.pem"), "--token-file", pki_.Path("token")},
      {"node", "serve", "--listen", "127.0.0.1:0", "--insecure", "--token-file",
       pki_.Path("short-token")},
      {"bench", "ethz", "--root", pki_.Path("."), "--out", out_.Path("ethz"), "--compact"},
      {"bench", "ethz", "--root", pki_.Path("."), "--out", out_.Path("ethz"), "--nodes",
       pki_.Path("bad.json")},
  };
  for (const std::vector<std::string>& args : cases) {
    const CliRun run = RunCli(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << " " << args[1] << ": " << run.err;
    EXPECT_EQ(run.ErrLines(), 1) << run.err;
    EXPECT_NE(run.err.find("error:"), std::string::npos) << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(out_.Path("x.json")));
  EXPECT_FALSE(std::filesystem::exists(out_.Path("ethz")));
}

TEST_F(RemoteCliTest, InsecureNodeOnLoopbackWorksAndSaysSo) {
  NodeProcess node(pki_, {"--insecure"});
  ASSERT_TRUE(node.running());
  std::ofstream(pki_.Path("insecure.json"))
      << R"({"token_file": "token", "insecure": true, "nodes": [{"address": ")" << node.address()
      << "\"}]}";
  const std::string model = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";
  const std::string image = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase_scene.png";
  const CliRun local =
      RunCli({"detect", image, "--model", model, "--no-timing", "--out", out_.Path("l.json")});
  const CliRun remote = RunCli({"detect", image, "--model", model, "--no-timing", "--out",
                                out_.Path("r.json"), "--nodes", pki_.Path("insecure.json")});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.ErrLines(), 1) << remote.err;
  EXPECT_NE(remote.err.find("warning: node " + node.address() + " is insecure"), std::string::npos)
      << remote.err;
  EXPECT_EQ(ReadFileBytes(out_.Path("l.json")), ReadFileBytes(out_.Path("r.json")));
}

TEST_F(RemoteCliTest, TiledLevelsFromTheNodesFileGiveTheLocalJson) {
  NodeProcess a(pki_), b(pki_);
  ASSERT_TRUE(a.running() && b.running());
  const std::string scene = out_.Path("scene.png");
  const std::string model = std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json";
  ASSERT_EQ(RunCli({"synth", "--target", model, "--seed", "4", "--out", scene}).exit_code, 0);
  const std::string nodes = pki_.Path("tiled-nodes.json");
  std::ofstream(nodes) << R"({"ca": "ca.pem", "cert": "client.pem", "key": "client.key",
                             "token_file": "token", "tile_pixels": 16384,
                             "coordinator_works": false, "nodes": [{"address": ")"
                       << a.address() << R"("}, {"address": ")" << b.address() << R"("}]})";
  const CliRun local =
      RunCli({"detect", scene, "--model", model, "--no-timing", "--out", out_.Path("local.json")});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  const CliRun tiled = RunCli({"detect", scene, "--model", model, "--no-timing", "--out",
                               out_.Path("tiled.json"), "--nodes", nodes});
  ASSERT_EQ(tiled.exit_code, 0) << tiled.err;
  EXPECT_EQ(tiled.err, "");
  EXPECT_EQ(ReadFileBytes(out_.Path("local.json")), ReadFileBytes(out_.Path("tiled.json")));
}

}  // namespace remote_cli_test
}  // namespace msrf::testing
