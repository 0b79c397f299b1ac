// Model files in JSON: a bare polygon {"polygon": [[x, y], ...]} or a model written by
// `msrf model` ({"kind": "msrf.shape_model", "points": ..., "drawn": ...}).
#include <cstddef>
#include <cstdint>
#include <string>

#include "msrf/io/model_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)msrf::ShapeModelFromJson(text, "model.json");
  return 0;
}
