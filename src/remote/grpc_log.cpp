#include "grpc_log.h"

#include <grpc/support/log.h>

#include <cstdlib>
#include <mutex>

namespace msrf::remote {
namespace {

std::mutex g_mutex;
std::string g_first_error;

void KeepFirstError(gpr_log_func_args* args) {
  if (args == nullptr || args->severity != GPR_LOG_SEVERITY_ERROR || args->message == nullptr)
    return;
  const std::lock_guard<std::mutex> lock(g_mutex);
  if (g_first_error.empty()) g_first_error = args->message;
}

}  // namespace

void RouteGrpcLog() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("GRPC_VERBOSITY") != nullptr || std::getenv("GRPC_TRACE") != nullptr) return;
    gpr_set_log_function(KeepFirstError);
  });
}

std::string TakeGrpcError() {
  const std::lock_guard<std::mutex> lock(g_mutex);
  std::string error;
  error.swap(g_first_error);
  return error;
}

}  // namespace msrf::remote
