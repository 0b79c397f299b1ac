// Dataset manifests of `msrf bench shapes` (msrf/eval/manifest.h). Paths resolve against a
// folder that does not exist, so the checks of the files named run too, and fail.
#include <cstddef>
#include <cstdint>
#include <string>

#include "msrf/eval/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)msrf::ParseShapeManifest(text, "/nonexistent-msrf-fuzz/set.json");
  (void)msrf::ParseShapeManifest(text, "/nonexistent-msrf-fuzz/set.json", {"a"});
  return 0;
}
