// The PNG, JPEG, BMP and PNM header check that runs before an image is decoded (the
// decompression-bomb guard): any bytes give a size in [0, 2^30] each way, or (-1, -1).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "msrf/io/image_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cv::Size s =
      msrf::PeekEncodedImageSize(std::string_view(reinterpret_cast<const char*>(data), size));
  const bool unknown = s.width == -1 && s.height == -1;
  const bool known = s.width >= 0 && s.height >= 0 && s.width <= (1 << 30) && s.height <= (1 << 30);
  if (!unknown && !known) std::abort();
  return 0;
}
