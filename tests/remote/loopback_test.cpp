// Which addresses count as loopback for --insecure and "insecure": true.
#include <gtest/gtest.h>

#include "msrf/remote/credentials.h"

namespace msrf::remote {
namespace loopback_test {  // named: the remote tests are one unity build

TEST(IsLoopbackAddress, AcceptsOnlyLiteralLoopbackAddressesWithOrWithoutAPort) {
  for (const char* address :
       {"127.0.0.1:7700", "127.0.0.1", "127.255.255.254", "127.1.2.3:1", "[::1]:7700", "[::1]",
        "::1", "localhost:1", "localhost", "LOCALHOST:7700", "127.0.0.1:0"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
  }
  for (const char* address : {"127.attacker.example:7700",
                              "127.attacker.example",
                              "127.0.0.1.example:7700",
                              "127.0.0.1.example",
                              "1270.0.0.1:7700",
                              "127.0.0.256",
                              "127.0.0",
                              "127.1",
                              "0x7f.0.0.1",
                              "0177.0.0.1",
                              "127.0.0.01",
                              "::ffff:127.0.0.1",
                              "[::ffff:127.0.0.1]:7700",
                              "0.0.0.0:7700",
                              "10.0.0.1:5",
                              "[::]:7700",
                              "",
                              ":7700",
                              "localhost.example:1",
                              "localhost:",
                              "localhost:x",
                              "127.0.0.1:123456",
                              "[::1",
                              "[::1]x",
                              "[::1]:",
                              "127.0.0.1:7700:1",
                              " 127.0.0.1"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
  }
}

}  // namespace loopback_test
}  // namespace msrf::remote
