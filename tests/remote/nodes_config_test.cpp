// The nodes file of `msrf detect --nodes`: what it accepts, and one clear error otherwise.
#include <gtest/gtest.h>

#include <fstream>

#include "msrf/remote/credentials.h"
#include "msrf/remote/nodes_config.h"
#include "remote/node_process.h"

namespace msrf::remote {
namespace nodes_config_test {  // named: the remote tests are one unity build

class NodesConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "the openssl command line is needed to make certificates";
  }
  Result<RemoteOptions> Read(const std::string& json) {
    const std::string path = pki_.Path("nodes.json");
    std::ofstream(path) << json;
    return ReadNodesConfig(path);
  }
  testing::TestPki pki_;
};

TEST_F(NodesConfigTest, ReadsDefaultsAndPerNodeOverrides) {
  auto r = Read(R"({"ca": "ca.pem", "cert": "client.pem", "key": "client.key",
                    "token_file": "token", "deadline_ms": 4000, "coordinator_works": false,
                    "nodes": [{"address": "127.0.0.1:7001"},
                              {"address": "10.1.2.3:7002", "max_level_pixels": 5000,
                               "deadline_ms": 9000, "server_name": "node-b"}]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->nodes.size(), 2u);
  EXPECT_EQ(r->nodes[0].deadline_ms, 4000);
  EXPECT_EQ(r->nodes[0].max_level_pixels, 0);
  EXPECT_FALSE(r->coordinator_works);
  EXPECT_TRUE(r->replan);
  EXPECT_EQ(r->nodes[1].deadline_ms, 9000);
  EXPECT_EQ(r->nodes[1].max_level_pixels, 5000);
  EXPECT_EQ(r->nodes[1].server_name, "node-b");
  EXPECT_EQ(r->nodes[0].token, "test-token-0123456789abcdef");
  EXPECT_NE(r->nodes[0].ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);
  EXPECT_NE(r->nodes[1].key_pem.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(NodesConfigTest, BadFilesGetOneErrorNamingTheField) {
  const std::string creds =
      R"("ca": "ca.pem", "cert": "client.pem", "key": "client.key", "token_file": "token", )";
  struct Case {
    std::string json;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"{", "not valid JSON"},
      {R"({"nodes": []})", "\"nodes\" must be an array of 1 to 256"},
      {"{" + creds + R"("nodes": [{"port": 1}]})", "unknown key 'port'"},
      {"{" + creds + R"("nodes": [{"address": "127.0.0.1:1", "replan": true}]})",
       "unknown key 'replan'"},
      {"{" + creds + R"("nodes": [{"deadline_ms": 2000}]})", "no \"address\""},
      {"{" + creds + R"("colour": 1, "nodes": [{"address": "127.0.0.1:1"}]})",
       "unknown key 'colour'"},
      {"{" + creds + R"("nodes": [{"address": "127.0.0.1"}]})", "HOST:PORT"},
      {"{" + creds + R"("nodes": [{"address": "127.0.0.1:1", "max_level_pixels": -1}]})",
       "max_level_pixels"},
      {"{" + creds + R"("replan": 1, "nodes": [{"address": "127.0.0.1:1"}]})",
       "replan must be true or false"},
      {"{" + creds + R"("nodes": [{"address": "127.0.0.1:1", "deadline_ms": "soon"}]})",
       "deadline_ms must be an integer"},
      {R"({"ca": "missing.pem", "cert": "client.pem", "key": "client.key", "token_file": "token", "nodes": [{"address": "127.0.0.1:1"}]})",
       "missing.pem"},
      {R"({"ca": "token", "cert": "client.pem", "key": "client.key", "token_file": "token", "nodes": [{"address": "127.0.0.1:1"}]})",
       "not a PEM file"},
      {R"({"token_file": "token", "nodes": [{"address": "127.0.0.1:1"}]})",
       "needs ca, cert and key"},
      {R"({"ca": "ca.pem", "cert": "client.pem", "key": "client.key", "nodes": [{"address": "127.0.0.1:1"}]})",
       "token_file"},
      {R"({"token_file": "token", "insecure": true, "nodes": [{"address": "10.0.0.1:1"}]})",
       "loopback"},
  };
  for (const Case& c : cases) {
    auto r = Read(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos)
        << c.json << "\n  -> " << r.status().message();
    EXPECT_NE(r.status().message().find("nodes.json"), std::string::npos) << r.status().message();
  }
  auto insecure =
      Read(R"({"token_file": "token", "insecure": true, "nodes": [{"address": "127.0.0.1:1"}]})");
  EXPECT_TRUE(insecure.ok()) << insecure.status().ToString();
}

TEST_F(NodesConfigTest, TextIsParsedAsTheFileItCameFrom) {
  // The credentials are found beside `source`, and errors name it.
  const std::string source = pki_.Path("fleet.json");
  auto r = ParseNodesConfig(R"({"token_file": "token", "insecure": true,
                               "nodes": [{"address": "127.0.0.1:7001"}]})",
                            source);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->nodes[0].token, "test-token-0123456789abcdef");
  auto bad = ParseNodesConfig("[1, 2]", source);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), source + ": must hold a JSON object");
  // Text that is not UTF-8, or stops short, is an error like any other.
  for (const std::string& text : {std::string("{\"nodes\": [\xff]}"), std::string("{\"no")}) {
    auto broken = ParseNodesConfig(text, source);
    ASSERT_FALSE(broken.ok());
    EXPECT_NE(broken.status().message().find("not valid JSON"), std::string::npos);
  }
}

TEST_F(NodesConfigTest, TilePixelsTurnsTilesOnForTheFleet) {
  const std::string node =
      R"("token_file": "token", "insecure": true, "nodes": [{"address": "127.0.0.1:1"}])";
  auto off = Read("{" + node + "}");
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_EQ(off->tile_pixels, 0);
  auto on = Read(R"({"tile_pixels": 262144, )" + node + "}");
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_EQ(on->tile_pixels, 262144);
  for (const std::string bad : {"100", "-1", "\"big\"", "1.5"}) {
    auto r = Read(R"({"tile_pixels": )" + bad + ", " + node + "}");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("tile_pixels"), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("nodes.json"), std::string::npos) << r.status().message();
  }
}

TEST_F(NodesConfigTest, HandshakeDeadlineIsForTheFleet) {
  const std::string node =
      R"("token_file": "token", "insecure": true, "nodes": [{"address": "127.0.0.1:1"}])";
  auto fallback = Read("{" + node + "}");
  ASSERT_TRUE(fallback.ok()) << fallback.status().ToString();
  EXPECT_EQ(fallback->handshake_deadline_ms, RemoteOptions().handshake_deadline_ms);
  auto slow = Read(R"({"handshake_deadline_ms": 30000, )" + node + "}");
  ASSERT_TRUE(slow.ok()) << slow.status().ToString();
  EXPECT_EQ(slow->handshake_deadline_ms, 30000);
  for (const std::string bad : {"5", "0", "-1", "\"long\"", "2.5", "600001"}) {
    auto r = Read(R"({"handshake_deadline_ms": )" + bad + ", " + node + "}");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("nodes.json: handshake_deadline_ms"), std::string::npos)
        << r.status().message();
  }
  // A node entry may not set it: it is one figure for the fleet.
  auto per_node = Read(
      R"({"token_file": "token", "insecure": true,
          "nodes": [{"address": "127.0.0.1:1", "handshake_deadline_ms": 9000}]})");
  ASSERT_FALSE(per_node.ok());
  EXPECT_NE(per_node.status().message().find("unknown key 'handshake_deadline_ms'"),
            std::string::npos)
      << per_node.status().message();
}

TEST(ParseNodesConfig, NamesItsSourceInEveryError) {
  for (const std::string text :
       {"{", R"({"nodes": []})", R"({"nodes": [{"address": 7}]})",
        R"({"nodes": [{"address": "127.0.0.1:7001", "insecure": true}]})"}) {
    auto r = ParseNodesConfig(text, "cluster/nodes.json");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().message().rfind("cluster/nodes.json", 0), 0u) << r.status().message();
  }
}

TEST(Credentials, TokensAndAddresses) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:5"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:5"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:5"));
  EXPECT_FALSE(IsLoopbackAddress("0.0.0.0:5"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.1:5"));
}

}  // namespace nodes_config_test
}  // namespace msrf::remote
