// Options as JSON, for `--config FILE` and `--dump-config`. Keys mirror the option structs'
// field names ({"pyramid": {"scale_factor": 1.41, ...}, "edges": {...}, ...}); a config file
// may give any subset, and an unknown key or a value of the wrong type is an error naming it.
#pragma once

#include <string>
#include <string_view>

#include "msrf/core/status.h"
#include "msrf/fragments/multiscale_fragments.h"

namespace msrf {

std::string MultiscaleOptionsToJson(const MultiscaleOptions& options, int indent = 2);

// Overrides the fields of `options` that `json_text` gives. `source` (a file name) starts
// error messages.
Status UpdateMultiscaleOptionsFromJson(std::string_view json_text, const std::string& source,
                                       MultiscaleOptions& options);

}  // namespace msrf
