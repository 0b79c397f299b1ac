// The nodes file against hostile input: numbers that overflow, integers that would wrap
// around, special files. One error naming the file and the field, never an exception.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "msrf/remote/credentials.h"
#include "msrf/remote/nodes_config.h"
#include "msrf/remote/remote_executor.h"
#include "remote/node_process.h"

namespace msrf::remote {
namespace nodes_config_limits_test {  // named: the remote tests are one unity build

class NodesConfigLimits : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!pki_.ok()) GTEST_SKIP() << "the openssl command line is needed to make certificates";
  }
  Result<RemoteOptions> Read(const std::string& json) {
    std::ofstream(pki_.Path("nodes.json")) << json;
    return ReadNodesConfig(pki_.Path("nodes.json"));
  }
  testing::TestPki pki_;
};

TEST_F(NodesConfigLimits, RefusesIntegersThatWouldWrapAroundNamingTheField) {
  const std::string head = R"({"token_file": "token", "insecure": true, "nodes": [)";
  Result<RemoteOptions> r =
      Read(head + R"({"address": "127.0.0.1:1", "deadline_ms": 4294968297}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(
                "nodes[0].deadline_ms must be an integer in [10, 3600000], got 4294968297"),
            std::string::npos)
      << r.status().message();
  r = Read(head + R"({"address": "127.0.0.1:1", "max_level_pixels": 18446744073709551615}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nodes[0].max_level_pixels"), std::string::npos)
      << r.status().message();
  r = Read(head + R"({"address": "127.0.0.1:1", "deadline_ms": 1001}]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->nodes[0].deadline_ms, 1001);
}

TEST_F(NodesConfigLimits, RefusesNumbersThatOverflowWithoutThrowing) {
  Result<RemoteOptions> r =
      Read(R"({"nodes": [{"address": "127.0.0.1:1", "deadline_ms": 1e999}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nodes.json: number out of range (byte"), std::string::npos)
      << r.status().message();
}

TEST_F(NodesConfigLimits, RefusesAFifoAsNodesOrTokenFile) {
  const std::string fifo = pki_.Path("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Result<RemoteOptions> r = ReadNodesConfig(fifo);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a regular file (a FIFO)"), std::string::npos);
  r = Read(R"({"token_file": "pipe", "insecure": true, "nodes": [{"address": "127.0.0.1:1"}]})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not a regular file (a FIFO)"), std::string::npos)
      << r.status().message();
  Result<std::string> token = ReadTokenFile("/dev/zero");
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("character device"), std::string::npos);
}

TEST_F(NodesConfigLimits, ParsesTextInMemoryWithPathsFromTheNamedFolder) {
  Result<RemoteOptions> r = ParseNodesConfig(
      R"({"token_file": "token", "insecure": true, "nodes": [{"address": "127.0.0.1:1"}]})",
      pki_.Path("never-written.json"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->nodes[0].token, "test-token-0123456789abcdef");
}

}  // namespace nodes_config_limits_test
}  // namespace msrf::remote
