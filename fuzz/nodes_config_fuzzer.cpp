// The nodes file of `msrf detect --nodes`. Credential paths resolve against an empty scratch
// folder, so that the input cannot make the reader open the repository's files; absolute
// paths still reach the file system, read-only.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "msrf/remote/remote_executor.h"

namespace {

std::string& Source() {
  static std::string source;
  return source;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  char folder[] = "/tmp/msrf_fuzz_nodes_XXXXXX";
  if (mkdtemp(folder) == nullptr) std::abort();
  Source() = std::string(folder) + "/nodes.json";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)msrf::remote::ParseNodesConfig(text, Source());
  return 0;
}
