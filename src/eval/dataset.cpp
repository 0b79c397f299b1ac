#include "msrf/eval/dataset.h"

#include <cstdio>

#include "dataset_internal.h"

namespace msrf {

std::vector<cv::Rect2d> DatasetImage::Boxes(const std::string& klass) const {
  std::vector<cv::Rect2d> boxes;
  for (const DatasetObject& o : objects) {
    if (o.klass == klass) boxes.push_back(o.box);
  }
  return boxes;
}

namespace internal {
namespace fs = std::filesystem;

bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    unsigned min = 0, code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, code = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((b & 0xC0) != 0x80) return false;
      code = (code << 6) | (b & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

std::string Printable(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

Status NotUtf8(const std::string& path) {
  return InvalidArgumentError(Printable(path) +
                              ": the name is not valid UTF-8 (the outputs are JSON); rename it");
}

Status FilesystemError(const fs::path& path, const std::error_code& ec) {
  return InvalidArgumentError(Printable(path.string()) + ": cannot read: " + ec.message());
}

Result<bool> Exists(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && st.type() != fs::file_type::not_found) return FilesystemError(path, ec);
  return fs::exists(st);
}

}  // namespace internal
}  // namespace msrf
