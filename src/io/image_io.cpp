#include "msrf/io/image_io.h"

#include <opencv2/imgcodecs.hpp>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "msrf/io/file_io.h"

namespace msrf {
namespace {

uint32_t BigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
uint16_t BigEndian16(const unsigned char* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
int32_t LittleEndian32(const unsigned char* p) {
  return static_cast<int32_t>(uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) |
                              (uint32_t{p[3]} << 24));
}

cv::Size PeekPng(const std::vector<unsigned char>& h) {
  static const unsigned char kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (h.size() < 24 || !std::equal(kSig, kSig + 8, h.begin())) return {-1, -1};
  if (std::string(h.begin() + 12, h.begin() + 16) != "IHDR") return {-1, -1};
  const uint32_t w = BigEndian32(&h[16]), hh = BigEndian32(&h[20]);
  if (w > (1U << 30) || hh > (1U << 30)) return {1 << 30, 1 << 30};
  return {static_cast<int>(w), static_cast<int>(hh)};
}

cv::Size PeekJpeg(std::istream& in, const std::vector<unsigned char>& h) {
  if (h.size() < 4 || h[0] != 0xFF || h[1] != 0xD8) return {-1, -1};
  // Walk the marker segments to the first start-of-frame.
  in.clear();
  in.seekg(2);
  for (int guard = 0; guard < 10000 && in; ++guard) {
    unsigned char marker[2];
    if (!in.read(reinterpret_cast<char*>(marker), 2) || marker[0] != 0xFF) return {-1, -1};
    while (marker[1] == 0xFF) {  // fill bytes
      if (!in.read(reinterpret_cast<char*>(&marker[1]), 1)) return {-1, -1};
    }
    const unsigned char m = marker[1];
    if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) continue;  // no payload
    unsigned char len_bytes[2];
    if (!in.read(reinterpret_cast<char*>(len_bytes), 2)) return {-1, -1};
    const int len = BigEndian16(len_bytes);
    if (len < 2) return {-1, -1};
    const bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    if (sof) {
      unsigned char frame[5];
      if (!in.read(reinterpret_cast<char*>(frame), 5)) return {-1, -1};
      return {BigEndian16(&frame[3]), BigEndian16(&frame[1])};
    }
    in.seekg(len - 2, std::ios::cur);
  }
  return {-1, -1};
}

cv::Size PeekBmp(const std::vector<unsigned char>& h) {
  if (h.size() < 26 || h[0] != 'B' || h[1] != 'M') return {-1, -1};
  const int64_t w = LittleEndian32(&h[18]);
  const int64_t hh = LittleEndian32(&h[22]);
  const int64_t aw = w < 0 ? -w : w, ah = hh < 0 ? -hh : hh;
  if (aw > (1 << 30) || ah > (1 << 30)) return {1 << 30, 1 << 30};
  return {static_cast<int>(aw), static_cast<int>(ah)};
}

cv::Size PeekPnm(const std::vector<unsigned char>& h) {
  if (h.size() < 3 || h[0] != 'P' || h[1] < '1' || h[1] > '6') return {-1, -1};
  std::array<int64_t, 2> dims{};
  size_t i = 2;
  for (int64_t& d : dims) {
    while (i < h.size()) {  // whitespace and comments
      if (h[i] == '#') {
        while (i < h.size() && h[i] != '\n') ++i;
      } else if (std::isspace(h[i])) {
        ++i;
      } else {
        break;
      }
    }
    if (i >= h.size() || !std::isdigit(h[i])) return {-1, -1};
    while (i < h.size() && std::isdigit(h[i])) {
      d = d * 10 + (h[i++] - '0');
      if (d > (1 << 30)) return {1 << 30, 1 << 30};
    }
  }
  return {static_cast<int>(dims[0]), static_cast<int>(dims[1])};
}

// libjpeg decodes a truncated file without an error (it pads the missing rows with gray and
// warns), so a cut-off JPEG must be caught here: after the last start-of-scan marker there
// must be an end-of-image marker. Neither can occur inside entropy-coded data, where 0xFF
// bytes are stuffed.
bool JpegLooksTruncated(const std::string& bytes) {
  if (bytes.size() < 4 || static_cast<unsigned char>(bytes[0]) != 0xFF ||
      static_cast<unsigned char>(bytes[1]) != 0xD8) {
    return false;
  }
  const size_t sos = bytes.rfind("\xFF\xDA");
  if (sos == std::string::npos) return true;
  return bytes.find("\xFF\xD9", sos) == std::string::npos;
}

std::string SizeText(int64_t w, int64_t h) {
  return std::to_string(w) + "x" + std::to_string(h) + " (" + std::to_string(w * h) + " pixels)";
}

// The first 512 bytes decide the format; JPEG's frame header may come later in `in`.
cv::Size PeekStream(std::istream& in) {
  std::vector<unsigned char> head(512);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  for (cv::Size s : {PeekPng(head), PeekBmp(head), PeekPnm(head)}) {
    if (s.width >= 0) return s;
  }
  return PeekJpeg(in, head);
}

}  // namespace

cv::Size PeekImageSize(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {-1, -1};
  return PeekStream(in);
}

cv::Size PeekEncodedImageSize(std::string_view bytes) {
  std::istringstream in(std::string(bytes), std::ios::binary);
  return PeekStream(in);
}

Result<cv::Mat> ReadImage(const std::string& path, const ImageReadOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFoundError(path + ": no such file");
  if (fs::is_directory(path, ec)) return InvalidArgumentError(path + ": is a folder, not an image");
  if (fs::file_size(path, ec) == 0) return DataLossError(path + ": empty file, not an image");

  const cv::Size declared = PeekImageSize(path);
  if (declared.width >= 0 &&
      static_cast<int64_t>(declared.width) * declared.height > options.max_pixels) {
    return OutOfRangeError(path + ": image is " + SizeText(declared.width, declared.height) +
                           ", above the limit of " + std::to_string(options.max_pixels) +
                           " pixels");
  }

  MSRF_ASSIGN_OR_RETURN(std::string bytes, ReadFileToString(path));
  if (JpegLooksTruncated(bytes)) {
    return DataLossError(path + ": truncated JPEG (no end-of-image marker), a corrupt one");
  }
  cv::Mat image;
  try {
    const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U, bytes.data());
    image = cv::imdecode(buffer, options.imread_flags);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty()) return DataLossError(path + ": not an image, or a corrupt one");
  if (image.cols == 0 || image.rows == 0) return DataLossError(path + ": empty image (0 pixels)");
  if (static_cast<int64_t>(image.cols) * image.rows > options.max_pixels) {
    return OutOfRangeError(path + ": image is " + SizeText(image.cols, image.rows) +
                           ", above the limit of " + std::to_string(options.max_pixels) +
                           " pixels");
  }
  return image;
}

}  // namespace msrf
