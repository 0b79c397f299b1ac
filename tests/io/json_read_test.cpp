// The checked JSON reader: hostile documents give one error naming the source and the byte,
// never an exception; integers are range-checked before they are narrowed.
#include "msrf/io/json_read.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace msrf {
namespace {

void ExpectParseRefused(const std::string& text, const std::string& words) {
  Result<JsonDocument> doc = ParseJson(text, "in.json");
  ASSERT_FALSE(doc.ok()) << text.substr(0, 80);
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message().rfind("in.json: ", 0), 0U) << doc.status().message();
  EXPECT_NE(doc.status().message().find(words), std::string::npos) << doc.status().message();
}

TEST(ParseJson, RefusesNumbersThatOverflowADoubleNamingTheByte) {
  ExpectParseRefused("1e999", "number out of range (byte 5)");
  ExpectParseRefused(R"({"polygon": [[0, 0], [-1e999, 0]]})", "number out of range (byte");
  ExpectParseRefused("[" + std::string(400, '9') + "]", "number out of range (byte");
}

TEST(ParseJson, RefusesDeepNestingBeforeBuildingTheDocument) {
  ExpectParseRefused(std::string(1'000'000, '['), "nested deeper than 64 levels (byte 65)");
  ExpectParseRefused(std::string(65, '{'), "nested deeper than 64 levels");
  const std::string ok = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(ParseJson(ok, "in.json").ok());
  // Brackets inside strings are text.
  EXPECT_TRUE(ParseJson("[\"" + std::string(100, '[') + "\\\"\"]", "in.json").ok());
}

TEST(ParseJson, NamesTheByteOfASyntaxError) {
  ExpectParseRefused(R"({"a": 1,})", "not valid JSON (byte 9)");
  ExpectParseRefused("", "not valid JSON");
}

TEST(ParseJson, NeverThrowsOnRandomBytes) {
  std::mt19937 rng(7);
  const std::string alphabet = "[]{}\",:0123456789eE+-.truefalsn \\u";
  for (int trial = 0; trial < 3000; ++trial) {
    std::string text(rng() % 40, ' ');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    EXPECT_NO_THROW((void)ParseJson(text, "in.json")) << text;
  }
}

TEST(JsonInteger, ChecksTheRangeBeforeNarrowing) {
  const JsonDocument doc = *ParseJson(
      R"({"big": 4294967298, "huge": 18446744073709551615, "neg": -5, "ok": 7, "f": 2.5})",
      "in.json");
  Result<int64_t> big = JsonInteger(doc["big"], "pyramid.num_levels", 0, 2147483647);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(),
            "pyramid.num_levels must be an integer in [0, 2147483647], got 4294967298");
  EXPECT_FALSE(JsonInteger(doc["huge"], "x", 0, INT64_MAX).ok());
  EXPECT_FALSE(JsonInteger(doc["neg"], "x", 0, 10).ok());
  EXPECT_EQ(*JsonInteger(doc["neg"], "x", -10, 10), -5);
  EXPECT_EQ(*JsonInteger(doc["ok"], "x", 0, 10), 7);
  Result<int64_t> f = JsonInteger(doc["f"], "x", 0, 10);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(), "x must be an integer");
}

TEST(JsonNumber, ReadsIntegersAndFloats) {
  const JsonDocument doc = *ParseJson(R"([3, 2.5, "x"])", "in.json");
  EXPECT_EQ(*JsonNumber(doc[0], "a"), 3.0);
  EXPECT_EQ(*JsonNumber(doc[1], "a"), 2.5);
  EXPECT_EQ(JsonNumber(doc[2], "a").status().message(), "a must be a number");
}

}  // namespace
}  // namespace msrf
