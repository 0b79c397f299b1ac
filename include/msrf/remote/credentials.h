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

// True when `address` (HOST, HOST:PORT, [V6] or [V6]:PORT) names this machine literally:
// "localhost", an IPv4 address in 127.0.0.0/8 written as a dotted quad, or "::1". Host
// names that only look like one ("127.attacker.example", "127.0.0.1.example"), other forms
// of the same addresses ("1270.0.0.1", "0x7f.0.0.1", octal) and IPv4-mapped IPv6
// ("::ffff:127.0.0.1") are not: a name is resolved elsewhere, and the mapped form is not
// worth the doubt.
bool IsLoopbackAddress(const std::string& address);

// `a == b` in time that depends on the lengths only, not on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace msrf::remote
