// `msrf node serve` keeps gRPC's own log lines off stderr: a bad certificate is one line.
#include <gtest/gtest.h>

#include <fstream>

#include "msrf/child_node.h"
#include "support/test_support.h"

namespace msrf::testing {
namespace node_log_test {  // named: the remote tests are one unity build

TEST(NodeServe, ABadCertificateIsOneLineOnStderr) {
  TempDir dir;
  std::ofstream(dir.Path("bad.pem")) << "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                                        "-----END CERTIFICATE-----\n";
  std::ofstream(dir.Path("token")) << "0123456789abcdef0123\n";
  std::string out, err;
  const int code = cli::RunProgram(
      {MSRF_CLI_PATH, "node", "serve", "--listen", "127.0.0.1:0", "--cert", dir.Path("bad.pem"),
       "--key", dir.Path("bad.pem"), "--ca", dir.Path("bad.pem"), "--token-file",
       dir.Path("token")},
      [&out](const std::string& s) { out += s; }, [&err](const std::string& s) { err += s; });
  EXPECT_EQ(code, 2) << err;
  int lines = 0;
  for (char c : err) lines += c == '\n';
  EXPECT_EQ(lines, 1) << err;
  EXPECT_EQ(err.rfind("msrf node serve: error: ", 0), 0U) << err;
  EXPECT_EQ(out.find("listening"), std::string::npos) << out;
}

}  // namespace node_log_test
}  // namespace msrf::testing
