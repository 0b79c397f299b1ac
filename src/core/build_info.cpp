#include "msrf/core/build_info.h"

#include "msrf/core/version.h"

namespace msrf {

std::string Version() { return MSRF_VERSION_STRING; }
std::string BuildId() { return std::string(MSRF_VERSION_STRING) + "+" + MSRF_GIT_REVISION; }

}  // namespace msrf
