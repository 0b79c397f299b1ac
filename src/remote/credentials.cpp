#include "msrf/remote/credentials.h"

#include <cctype>
#include <cstdint>

#include "msrf/io/file_io.h"

namespace msrf::remote {
namespace {

// Credentials are a few kB; a larger file (or /dev/zero) is refused before it is read.
Result<std::string> ReadSmallFile(const std::string& path, const std::string& what) {
  Result<std::string> text = ReadFileToString(path, int64_t{1} << 20);
  if (!text.ok()) return text.status().WithContext(what);
  return text;
}

}  // namespace

Result<std::string> ReadPemFile(const std::string& path, const std::string& what) {
  MSRF_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, what));
  if (text.find("-----BEGIN ") == std::string::npos) {
    return InvalidArgumentError(what + " '" + path + "' is not a PEM file");
  }
  return text;
}

Result<std::string> ReadTokenFile(const std::string& path) {
  MSRF_ASSIGN_OR_RETURN(std::string token, ReadSmallFile(path, "token file"));
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  if (token.size() < 16 || token.size() > 4096) {
    return InvalidArgumentError("token file '" + path + "' must hold 16 to 4096 characters");
  }
  for (char c : token) {
    if (!std::isgraph(static_cast<unsigned char>(c))) {
      return InvalidArgumentError("token file '" + path + "' holds a space or control character");
    }
  }
  return token;
}

bool IsLoopbackAddress(const std::string& address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  const std::string host = address.substr(0, colon);
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const size_t n = a.size() > b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

}  // namespace msrf::remote
