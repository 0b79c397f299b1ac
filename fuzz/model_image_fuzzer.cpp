// Model images (`--model shape.png`): bytes decoded to gray as ReadImage does, then both
// readings of a picture, as a mask and as an outline drawing. Images are bounded to 256x256
// pixels (by the header check, and after decoding) so that an input takes milliseconds;
// scripts/fuzz.sh also sets OPENCV_IO_MAX_IMAGE_PIXELS for formats without a header check.
#include <opencv2/imgcodecs.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "msrf/io/image_io.h"
#include "msrf/shape/shape_model.h"

namespace {

constexpr int64_t kMaxPixels = 256 * 256;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const cv::Size declared =
      msrf::PeekEncodedImageSize(std::string_view(reinterpret_cast<const char*>(data), size));
  if (declared.width >= 0 && int64_t{declared.width} * declared.height > kMaxPixels) return 0;
  cv::Mat image;
  try {
    const cv::Mat buffer(1, static_cast<int>(size), CV_8U, const_cast<uint8_t*>(data));
    image = cv::imdecode(buffer, cv::IMREAD_GRAYSCALE);
  } catch (const cv::Exception&) {
    return 0;
  }
  if (image.empty() || int64_t{image.cols} * image.rows > kMaxPixels) return 0;
  (void)msrf::ShapeModelFromMask(image);
  (void)msrf::ShapeModelFromOutline(image);
  return 0;
}
