#include "msrf/io/image_io.h"

#include <opencv2/imgcodecs.hpp>

#include <array>
#include <cctype>
#include <string_view>

#include "msrf/io/file_io.h"

namespace msrf {
namespace {

using Bytes = std::string_view;

uint32_t Byte(Bytes h, size_t i) { return static_cast<unsigned char>(h[i]); }
uint32_t BigEndian32(Bytes h, size_t i) {
  return (Byte(h, i) << 24) | (Byte(h, i + 1) << 16) | (Byte(h, i + 2) << 8) | Byte(h, i + 3);
}
uint16_t BigEndian16(Bytes h, size_t i) {
  return static_cast<uint16_t>((Byte(h, i) << 8) | Byte(h, i + 1));
}
int32_t LittleEndian32(Bytes h, size_t i) {
  return static_cast<int32_t>(Byte(h, i) | (Byte(h, i + 1) << 8) | (Byte(h, i + 2) << 16) |
                              (Byte(h, i + 3) << 24));
}

constexpr int kHuge = 1 << 30;  // any dimension above this is reported as this

cv::Size Clamped(uint64_t w, uint64_t h) {
  if (w > uint64_t{kHuge} || h > uint64_t{kHuge}) return {kHuge, kHuge};
  return {static_cast<int>(w), static_cast<int>(h)};
}

cv::Size PeekPng(Bytes h) {
  if (h.size() < 24 || h.substr(0, 8) != Bytes("\x89PNG\r\n\x1A\n", 8)) return {-1, -1};
  if (h.substr(12, 4) != "IHDR") return {-1, -1};
  return Clamped(BigEndian32(h, 16), BigEndian32(h, 20));
}

cv::Size PeekJpeg(Bytes h) {
  if (h.size() < 4 || Byte(h, 0) != 0xFF || Byte(h, 1) != 0xD8) return {-1, -1};
  // Walk the marker segments to the first start-of-frame.
  size_t at = 2;
  for (int guard = 0; guard < 10000; ++guard) {
    if (at + 2 > h.size() || Byte(h, at) != 0xFF) return {-1, -1};
    ++at;
    while (at < h.size() && Byte(h, at) == 0xFF) ++at;  // fill bytes
    if (at >= h.size()) return {-1, -1};
    const uint32_t m = Byte(h, at++);
    if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;  // no payload
    if (at + 2 > h.size()) return {-1, -1};
    const size_t len = BigEndian16(h, at);
    if (len < 2) return {-1, -1};
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      if (at + 7 > h.size()) return {-1, -1};
      return {BigEndian16(h, at + 5), BigEndian16(h, at + 3)};
    }
    at += len;
  }
  return {-1, -1};
}

cv::Size PeekBmp(Bytes h) {
  if (h.size() < 26 || h[0] != 'B' || h[1] != 'M') return {-1, -1};
  const int64_t w = LittleEndian32(h, 18);
  const int64_t hh = LittleEndian32(h, 22);
  return Clamped(static_cast<uint64_t>(w < 0 ? -w : w), static_cast<uint64_t>(hh < 0 ? -hh : hh));
}

cv::Size PeekPnm(Bytes h) {
  if (h.size() < 3 || h[0] != 'P' || h[1] < '1' || h[1] > '6') return {-1, -1};
  std::array<int64_t, 2> dims{};
  size_t i = 2;
  for (int64_t& d : dims) {
    while (i < h.size()) {  // whitespace and comments
      if (h[i] == '#') {
        while (i < h.size() && h[i] != '\n') ++i;
      } else if (std::isspace(static_cast<unsigned char>(h[i]))) {
        ++i;
      } else {
        break;
      }
    }
    if (i >= h.size() || !std::isdigit(static_cast<unsigned char>(h[i]))) return {-1, -1};
    while (i < h.size() && std::isdigit(static_cast<unsigned char>(h[i]))) {
      d = d * 10 + (h[i++] - '0');
      if (d > kHuge) return {kHuge, kHuge};
    }
  }
  return {static_cast<int>(dims[0]), static_cast<int>(dims[1])};
}

// TIFF and BigTIFF: ImageWidth (256) and ImageLength (257) of the first page, the one that
// cv::imdecode decodes.
cv::Size PeekTiff(Bytes h) {
  if (h.size() < 8) return {-1, -1};
  const bool little = h.substr(0, 2) == "II";
  if (!little && h.substr(0, 2) != "MM") return {-1, -1};
  auto read = [&](size_t at, int bytes) -> uint64_t {
    uint64_t v = 0;
    for (int k = 0; k < bytes; ++k) {
      const uint64_t b = Byte(h, at + static_cast<size_t>(little ? bytes - 1 - k : k));
      v = (v << 8) | b;
    }
    return v;
  };
  const uint64_t version = read(2, 2);
  if (version != 42 && version != 43) return {-1, -1};
  const bool big = version == 43;
  const size_t entry_size = big ? 20 : 12, count_size = big ? 8 : 2, value_at = big ? 12 : 8;
  if (big && h.size() < 16) return {-1, -1};
  const uint64_t ifd = big ? read(8, 8) : read(4, 4);
  if (ifd > h.size() || h.size() - ifd < count_size) return {-1, -1};
  const uint64_t count = read(static_cast<size_t>(ifd), static_cast<int>(count_size));
  uint64_t dims[2] = {0, 0};
  bool found[2] = {false, false};
  for (uint64_t e = 0; e < count && e < 4096; ++e) {
    const uint64_t at = ifd + count_size + e * entry_size;
    if (at + entry_size > h.size()) return {-1, -1};
    const uint64_t tag = read(static_cast<size_t>(at), 2);
    const uint64_t type = read(static_cast<size_t>(at) + 2, 2);
    if (tag != 256 && tag != 257) continue;
    const int width = type == 3 ? 2 : type == 4 ? 4 : type == 16 ? 8 : 0;  // SHORT, LONG, LONG8
    // A LONG8 fits in a BigTIFF entry's value field only (8 bytes; a classic entry has 4).
    if (width == 0 || value_at + static_cast<size_t>(width) > entry_size) return {-1, -1};
    dims[tag - 256] = read(static_cast<size_t>(at) + value_at, width);
    found[tag - 256] = true;
  }
  if (!found[0] || !found[1]) return {-1, -1};
  return Clamped(dims[0], dims[1]);
}

// libjpeg decodes a truncated file without an error (it pads the missing rows with gray and
// warns), so a cut-off JPEG must be caught here: after the last start-of-scan marker there
// must be an end-of-image marker. Neither can occur inside entropy-coded data, where 0xFF
// bytes are stuffed.
bool JpegLooksTruncated(Bytes bytes) {
  if (bytes.size() < 4 || static_cast<unsigned char>(bytes[0]) != 0xFF ||
      static_cast<unsigned char>(bytes[1]) != 0xD8) {
    return false;
  }
  const size_t sos = bytes.rfind("\xFF\xDA");
  if (sos == Bytes::npos) return true;
  return bytes.find("\xFF\xD9", sos) == Bytes::npos;
}

std::string SizeText(int64_t w, int64_t h) {
  return std::to_string(w) + "x" + std::to_string(h) + " (" + std::to_string(w * h) + " pixels)";
}

}  // namespace

cv::Size PeekEncodedImageSize(std::string_view bytes) {
  for (cv::Size size : {PeekPng(bytes), PeekBmp(bytes), PeekPnm(bytes), PeekTiff(bytes)}) {
    if (size.width >= 0) return size;
  }
  return PeekJpeg(bytes);
}

cv::Size PeekImageSize(const std::string& path) {
  Result<std::string> bytes = ReadFileToString(path, kMaxImageFileBytes);
  return bytes.ok() ? PeekEncodedImageSize(*bytes) : cv::Size(-1, -1);
}

Result<cv::Mat> DecodeImage(std::string_view bytes, const std::string& source,
                            const ImageReadOptions& options) {
  if (bytes.empty()) return DataLossError(source + ": empty file, not an image");
  const cv::Size declared = PeekEncodedImageSize(bytes);
  if (declared.width >= 0 &&
      static_cast<int64_t>(declared.width) * declared.height > options.max_pixels) {
    return OutOfRangeError(source + ": image is " + SizeText(declared.width, declared.height) +
                           ", above the limit of " + std::to_string(options.max_pixels) +
                           " pixels");
  }
  if (JpegLooksTruncated(bytes)) {
    return DataLossError(source + ": truncated JPEG (no end-of-image marker), a corrupt one");
  }
  cv::Mat image;
  try {
    // imdecode only reads the buffer.
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));
    image = cv::imdecode(buffer, options.imread_flags);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) return DataLossError(source + ": not an image, or a corrupt one");
  if (image.cols == 0 || image.rows == 0) return DataLossError(source + ": empty image (0 pixels)");
  if (static_cast<int64_t>(image.cols) * image.rows > options.max_pixels) {
    return OutOfRangeError(source + ": image is " + SizeText(image.cols, image.rows) +
                           ", above the limit of " + std::to_string(options.max_pixels) +
                           " pixels");
  }
  return image;
}

Result<cv::Mat> ReadImage(const std::string& path, const ImageReadOptions& options) {
  // A regular file within the size limit, checked before anything is read: a FIFO would
  // block, /dev/zero would never end.
  Result<std::string> bytes = ReadFileToString(path, kMaxImageFileBytes);
  if (!bytes.ok()) {
    const Status& st = bytes.status();
    if (st.message() == path + ": is a folder, not a file")
      return InvalidArgumentError(path + ": is a folder, not an image");
    return st;
  }
  return DecodeImage(*bytes, path, options);
}

}  // namespace msrf
