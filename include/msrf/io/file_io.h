// Whole-file reads and atomic writes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "msrf/core/status.h"

namespace msrf {

// Writes `data` to `path` atomically: to a temporary file in the same folder, flushed, then
// renamed over `path`. On failure `path` is untouched and no temporary file is left.
Status WriteFileAtomically(const std::string& path, std::string_view data);

// OK when a file can be created at `path`: its folder exists and is writable, and `path`
// is not a folder. Lets a command refuse a bad output path before it does any work.
Status CheckWritablePath(const std::string& path);

// Size limits for files read whole, checked before anything is read. JSON documents (models,
// configs, node lists) are a few kB; 64 MiB leaves room for large polygons while keeping the
// parsed document (about ten times the text) well within memory.
inline constexpr int64_t kMaxJsonFileBytes = int64_t{64} << 20;
// Images: 1 GiB holds an uncompressed 16-bit colour image of 89 M pixels, twice the default
// pixel limit; the pixel limit itself is checked on the header before decoding.
inline constexpr int64_t kMaxImageFileBytes = int64_t{1} << 30;

// OK when `path` can be opened for reading and is a regular file. A FIFO, a device or a socket
// is refused without blocking (it is opened non-blocking, then checked with fstat).
Status CheckReadableFile(const std::string& path);

// Reads a whole regular file of at most `max_bytes` bytes. Errors name `path`: NotFound,
// InvalidArgument (a folder, a FIFO, a device), OutOfRange (too large), PermissionDenied, or
// IoError.
Result<std::string> ReadFileToString(const std::string& path,
                                     int64_t max_bytes = kMaxJsonFileBytes);

}  // namespace msrf
