// Boundary forest files (`msrf edges --forest`): parsed, and when accepted, run on a small
// image and written back to the same bytes.
#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "msrf/boundaries/forest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  msrf::Result<msrf::Forest> forest = msrf::ParseForest(bytes);
  if (!forest.ok()) return 0;
  if (msrf::SerializeForest(*forest) != bytes) std::abort();
  // Every walk of an accepted forest ends in a leaf inside its arrays.
  cv::Mat image(24, 20, CV_8UC3);
  cv::randu(image, 0, 255);
  if (!msrf::ForestBoundaries(*forest, image).ok()) std::abort();
  return 0;
}
