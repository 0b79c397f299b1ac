// Options as JSON, for `--config FILE`, `--dump-config`, the options recorded in a result and
// the options sent to edge nodes: one table per option struct serves both directions, so
// reading and writing cannot drift apart.
//
// Keys are the structs' field names in sections:
//   {"pyramid": {"scale_factor": 1.41, ...}, "edges": {...}, "fragments": {...},
//    "trees": {...}}                                              MultiscaleOptions
// DetectOptions adds "candidates", "hypotheses", "potentials", "verify", "append",
// "relaxation", "mcmc", "icm" and "detect" (solver, max_detections, nms_iou, nms_inside,
// min_score, mirror, seed), so a `fragments` config file is also a valid `detect` one.
// A file may give any subset; an unknown section or key, or a value of the wrong type, is an
// error naming it as "section.key", and the result must pass the struct's Validate().
//
// Two fields are not keys: EdgeOptions::canny_high_threshold (set through the API when tiles
// must share one threshold) and McmcOptions::seed (Detect derives each hypothesis' chains'
// seeds from "detect.seed").
#pragma once

#include <string>
#include <string_view>

#include "msrf/core/status.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/grouping/candidates.h"
#include "msrf/grouping/detect.h"

namespace msrf {

std::string MultiscaleOptionsToJson(const MultiscaleOptions& options, int indent = 2);

// Overrides the fields of `options` that `json_text` gives. `source` (a file name) starts
// error messages; on error `options` is unchanged.
Status UpdateMultiscaleOptionsFromJson(std::string_view json_text, const std::string& source,
                                       MultiscaleOptions& options);

std::string DetectOptionsToJson(const DetectOptions& options, int indent = 2);
Status UpdateDetectOptionsFromJson(std::string_view json_text, const std::string& source,
                                   DetectOptions& options);

// The candidate options alone, as the object that DetectOptionsToJson writes under
// "candidates" (the remote codec sends them with a level).
std::string CandidateOptionsToJson(const CandidateOptions& options);
Status UpdateCandidateOptionsFromJson(std::string_view json_text, const std::string& source,
                                      CandidateOptions& options);

}  // namespace msrf
