// The detector's options file (--config), read over the defaults.
#include <cstddef>
#include <cstdint>
#include <string>

#include "msrf/io/options_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  msrf::MultiscaleOptions options;
  (void)msrf::UpdateMultiscaleOptionsFromJson(text, "options.json", options);
  return 0;
}
