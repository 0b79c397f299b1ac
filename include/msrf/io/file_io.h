// Whole-file reads and atomic writes.
#pragma once

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

Result<std::string> ReadFileToString(const std::string& path);

}  // namespace msrf
