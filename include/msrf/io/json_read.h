// Parsing untrusted JSON (models, polygons, --config, node lists): every such document goes
// through ParseJson, which never throws and bounds what a hostile document can cost, and its
// integer fields through JsonInteger, which range-checks before converting.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "msrf/core/status.h"

namespace msrf {

using JsonDocument = nlohmann::ordered_json;

// Arrays and objects nested deeper than this are refused before the document is built: real
// documents nest three or four levels, and each level of "[[[[..." costs a node of memory.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`. Errors are InvalidArgument and start with `source` (a file name):
//   "<source>: not valid JSON (byte N)", "<source>: number out of range (byte N)",
//   "<source>: nested deeper than 64 levels (byte N)".
Result<JsonDocument> ParseJson(std::string_view text, const std::string& source,
                               int max_depth = kMaxJsonDepth);

// `value` as an integer in [lo, hi]. Errors start with `name` (when not empty): "<name> must
// be an integer" or "<name> must be an integer in [lo, hi], got V" (V as written, never
// wrapped around).
Result<int64_t> JsonInteger(const JsonDocument& value, const std::string& name, int64_t lo,
                            int64_t hi);

// `value` as a finite number (an integer or a float). Errors start with `name`.
Result<double> JsonNumber(const JsonDocument& value, const std::string& name);

}  // namespace msrf
