#include "msrf/remote/credentials.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cctype>
#include <cstdint>
#include <cstring>

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

namespace {

// True when `port` is 1 to 5 digits; its range is checked where the port is used.
bool IsPort(const std::string& port) {
  if (port.empty() || port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The host part of HOST, HOST:PORT, [V6] or [V6]:PORT; false when the shape is wrong.
bool SplitHost(const std::string& address, std::string& host) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos) return false;
    host = address.substr(1, close - 1);
    const std::string rest = address.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && IsPort(rest.substr(1)));
  }
  const size_t colon = address.find(':');
  if (colon == std::string::npos) {
    host = address;
    return true;
  }
  if (address.find(':', colon + 1) != std::string::npos) {  // a bare IPv6 address
    host = address;
    return true;
  }
  host = address.substr(0, colon);
  return IsPort(address.substr(colon + 1));
}

}  // namespace

bool IsLoopbackAddress(const std::string& address) {
  std::string host;
  if (!SplitHost(address, host) || host.empty()) return false;
  std::string lower = host;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost") return true;
  // inet_pton takes dotted quads only: no host names, no octal, no shortened forms.
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
  }
  return false;
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
