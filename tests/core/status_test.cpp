#include "msrf/core/status.h"

#include <gtest/gtest.h>

namespace msrf {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("x must be even, got " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  MSRF_ASSIGN_OR_RETURN(int half, Half(x));
  MSRF_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(Status, DefaultIsOk) {
  EXPECT_TRUE(Status().ok());
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

TEST(Status, ToStringNamesCodeAndMessage) {
  const Status s = NotFoundError("a.png: no such file");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), "not found: a.png: no such file");
  EXPECT_EQ(s.WithContext("IMAGE").message(), "IMAGE: a.png: no such file");
}

TEST(Result, CarriesValueOrStatusThroughMacros) {
  Result<int> ok = Quarter(12);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 3);
  Result<int> bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "x must be even, got 3");
}

TEST(Result, BuiltFromOkStatusIsAnInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace msrf
