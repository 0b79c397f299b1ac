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
  // Refuse images with more pixels than this. PNG, JPEG, BMP, PNM and TIFF headers are read
  // first, so a decompression bomb is refused before it is decoded. In [1, 2^30]. A safety
  // bound on memory: a 40-megapixel colour image decodes to 120 MB before its pyramid is
  // built (--max-pixels raises it).
  int64_t max_pixels = 40'000'000;
  // cv::imread flags: cv::IMREAD_COLOR for photos, cv::IMREAD_UNCHANGED for edge maps.
  // Colour by default, as the main input is a photo; edge maps must keep their 16-bit or
  // float values.
  int imread_flags = 1;  // cv::IMREAD_COLOR
};

// Reads an image. Errors: NotFound (no such file), InvalidArgument (a folder, a FIFO, a
// device), OutOfRange (a file over kMaxImageFileBytes, or more than max_pixels), DataLoss (not
// an image, corrupt or empty). Messages start with the path. Never blocks on a special file.
Result<cv::Mat> ReadImage(const std::string& path, const ImageReadOptions& options = {});

// The same on a file's bytes in memory; `source` starts error messages.
Result<cv::Mat> DecodeImage(std::string_view bytes, const std::string& source,
                            const ImageReadOptions& options = {});

// The width and height that encoded PNG, JPEG, BMP, PNM or TIFF (first page) bytes declare in
// their header, without decoding them; (-1, -1) for other formats or unreadable headers.
cv::Size PeekEncodedImageSize(std::string_view bytes);

// The same for a file; (-1, -1) also when it cannot be read.
cv::Size PeekImageSize(const std::string& path);

}  // namespace msrf
