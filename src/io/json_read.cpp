#include "msrf/io/json_read.h"

#include <cmath>
#include <limits>

namespace msrf {
namespace {

// The byte at which nesting first exceeds `max_depth`, or npos. Brackets inside strings do
// not count.
size_t TooDeepAt(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Finds where the parser stopped, for errors (number overflow) whose exception has no byte.
class ErrorPosition : public nlohmann::json_sax<JsonDocument> {
 public:
  size_t position = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t at, const std::string&,
                   const nlohmann::detail::exception&) override {
    position = at;
    return false;
  }
};

}  // namespace

Result<JsonDocument> ParseJson(std::string_view text, const std::string& source, int max_depth) {
  if (const size_t at = TooDeepAt(text, max_depth); at != std::string_view::npos) {
    return InvalidArgumentError(source + ": nested deeper than " + std::to_string(max_depth) +
                                " levels (byte " + std::to_string(at + 1) + ")");
  }
  try {
    return JsonDocument::parse(text.begin(), text.end());
  } catch (const JsonDocument::parse_error& e) {
    return InvalidArgumentError(source + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const JsonDocument::exception&) {
    // Only number overflow (out_of_range.406) gets here; its exception carries no byte.
    ErrorPosition sax;
    try {
      JsonDocument::sax_parse(text.begin(), text.end(), &sax);
    } catch (const JsonDocument::exception&) {
    }
    return InvalidArgumentError(source + ": number out of range (byte " +
                                std::to_string(sax.position) + ")");
  } catch (const std::exception&) {
    return InvalidArgumentError(source + ": cannot be parsed as JSON (out of memory?)");
  }
}

Result<int64_t> JsonInteger(const JsonDocument& value, const std::string& name, int64_t lo,
                            int64_t hi) {
  const std::string field = name.empty() ? std::string() : name + " ";
  if (!value.is_number_integer()) return InvalidArgumentError(field + "must be an integer");
  const bool in_range = value.is_number_unsigned()
                            ? hi >= 0 && value.get<uint64_t>() <= static_cast<uint64_t>(hi) &&
                                  static_cast<int64_t>(value.get<uint64_t>()) >= lo
                            : value.get<int64_t>() >= lo && value.get<int64_t>() <= hi;
  if (!in_range) {
    return InvalidArgumentError(field + "must be an integer in [" + std::to_string(lo) + ", " +
                                std::to_string(hi) + "], got " + value.dump());
  }
  return value.is_number_unsigned() ? static_cast<int64_t>(value.get<uint64_t>())
                                    : value.get<int64_t>();
}

Result<double> JsonNumber(const JsonDocument& value, const std::string& name) {
  const std::string field = name.empty() ? std::string() : name + " ";
  if (!value.is_number()) return InvalidArgumentError(field + "must be a number");
  const double v = value.get<double>();
  if (!std::isfinite(v)) return InvalidArgumentError(field + "must be a finite number");
  return v;
}

}  // namespace msrf
