// What this build of msrf is: version and source revision.
#pragma once

#include <string>

namespace msrf {

// "0.1.0"
std::string Version();
// "0.1.0+<revision>": names this exact build; two processes with the same build id run the
// same code.
std::string BuildId();

}  // namespace msrf
