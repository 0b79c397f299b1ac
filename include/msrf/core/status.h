// Status and Result<T>: how every msrf call that can fail reports it.
//
// The library never prints and never throws across its API for bad input; it returns a
// Status naming what is wrong (which file, field or option), and the caller decides what to
// do. "No target found" is a result, not an error.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace msrf {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // a bad option, field or value given by the caller
  kNotFound,            // a file or item that does not exist
  kDataLoss,            // a file that exists but cannot be decoded (corrupt, not an image)
  kOutOfRange,          // a value outside a configured limit (e.g. --max-pixels)
  kFailedPrecondition,  // the inputs disagree with each other (e.g. edge map size)
  kPermissionDenied,    // a file the process may not read or write
  kIoError,             // reading or writing failed at the OS level
  kUnavailable,         // a remote resource could not be reached
  kDeadlineExceeded,
  kCancelled,
  kInternal,  // a bug in msrf: please report it
};

// A short lower-case name for the code, e.g. "invalid argument".
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: --levels must be in [1, 16], got 0"
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgumentError(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFoundError(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status DataLossError(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status OutOfRangeError(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
inline Status FailedPreconditionError(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status PermissionDeniedError(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok())
      status_ = InternalError("Result constructed from an OK status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace msrf

#define MSRF_STATUS_CONCAT_INNER_(a, b) a##b
#define MSRF_STATUS_CONCAT_(a, b) MSRF_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define MSRF_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::msrf::Status msrf_status_ = (expr);        \
    if (!msrf_status_.ok()) return msrf_status_; \
  } while (false)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define MSRF_ASSIGN_OR_RETURN(lhs, expr) \
  MSRF_ASSIGN_OR_RETURN_IMPL_(MSRF_STATUS_CONCAT_(msrf_result_, __LINE__), lhs, expr)
// `result` names a variable and `lhs` is a declaration (`const T x`): neither takes parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define MSRF_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                \
  if (!result.ok()) return result.status();            \
  lhs = std::move(result).value()
// NOLINTEND(bugprone-macro-parentheses)
