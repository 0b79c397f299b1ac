// Reading images and edge maps with the checks a command-line tool needs: every failure is a
// Status that names the file and says what is wrong with it.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "msrf/core/status.h"

namespace msrf {

struct ImageReadOptions {
  // Refuse images with more pixels than this. PNG, JPEG, BMP and PNM headers are read first,
  // so a decompression bomb is refused before it is decoded. In [1, 2^30].
  int64_t max_pixels = 40'000'000;
  // cv::imread flags: cv::IMREAD_COLOR for photos, cv::IMREAD_UNCHANGED for edge maps.
  int imread_flags = 1;  // cv::IMREAD_COLOR
};

// Reads an image. Errors: NotFound (no such file), DataLoss (not an image, corrupt or
// empty), OutOfRange (more than max_pixels). Messages start with the path.
Result<cv::Mat> ReadImage(const std::string& path, const ImageReadOptions& options = {});

// The width and height a PNG, JPEG, BMP or PNM file declares in its header, without decoding
// it; (-1, -1) for other formats or unreadable headers.
cv::Size PeekImageSize(const std::string& path);

// The same for an image held in memory (a file's bytes).
cv::Size PeekEncodedImageSize(std::string_view bytes);

}  // namespace msrf
