// Helpers of the dataset readers (ethz.cpp, manifest.cpp): names checked as UTF-8 (they end
// up in JSON), and filesystem calls that report errors with the path, never by exception.
#pragma once

#include <filesystem>
#include <string>

#include "msrf/core/status.h"

namespace msrf::internal {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF).
bool IsUtf8(const std::string& s);

// `s` with bytes outside printable ASCII written as \xHH, for an error message.
std::string Printable(const std::string& s);

// "<path>: the name is not valid UTF-8 (the outputs are JSON); rename it".
Status NotUtf8(const std::string& path);

// "<path>: cannot read: <reason>".
Status FilesystemError(const std::filesystem::path& path, const std::error_code& ec);

// Whether `path` exists; an error other than "not found" is one.
Result<bool> Exists(const std::filesystem::path& path);

}  // namespace msrf::internal
