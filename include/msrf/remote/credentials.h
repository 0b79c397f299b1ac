// Reading the secrets of an edge-node link (PEM files, bearer tokens) and the small checks
// both ends share.
#pragma once

#include <string>
#include <string_view>

#include "msrf/core/status.h"

namespace msrf::remote {

// The PEM text of `path` (a certificate or a private key); `what` names it in errors.
Result<std::string> ReadPemFile(const std::string& path, const std::string& what);

// A bearer token from `path`: the file's text without trailing whitespace, 16 to 4096
// printable characters. Tokens are read from files, never from the command line.
Result<std::string> ReadTokenFile(const std::string& path);

// True for "127.x.x.x:port", "localhost:port" and "[::1]:port".
bool IsLoopbackAddress(const std::string& address);

// `a == b` in time that depends on the lengths only, not on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace msrf::remote
