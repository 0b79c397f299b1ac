// The options files (`fragments --config`, `detect --config`), read over the defaults, and
// what they read written back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "msrf/io/options_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  msrf::MultiscaleOptions fragments;
  (void)msrf::UpdateMultiscaleOptionsFromJson(text, "options.json", fragments);
  msrf::DetectOptions detect;
  if (msrf::UpdateDetectOptionsFromJson(text, "options.json", detect).ok()) {
    // Options that were accepted are written and read back to the same options.
    const std::string written = msrf::DetectOptionsToJson(detect);
    msrf::DetectOptions back;
    if (!msrf::UpdateDetectOptionsFromJson(written, "written.json", back).ok() ||
        msrf::DetectOptionsToJson(back) != written) {
      std::abort();
    }
  }
  return 0;
}
