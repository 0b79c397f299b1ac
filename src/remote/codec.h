// Level jobs and their answers on the wire (msrf/remote/v1/level_worker.proto), and the
// checks on everything that arrives.
#pragma once

#include <string>

#include "msrf/core/status.h"
#include "msrf/grouping/level_work.h"
#include "msrf/remote/v1/level_worker.pb.h"

namespace msrf::remote {

// The options a level job runs with, as canonical JSON ({"fragments": ..., "candidates": ...}).
std::string LevelOptionsJson(const MultiscaleOptions& fragments, const CandidateOptions& candidates);

// Reads LevelOptionsJson's output back (unknown keys are errors), and validates it.
Status ParseLevelOptions(const std::string& json, MultiscaleOptions& fragments,
                         CandidateOptions& candidates);

// FNV-1a 64 of `text`, as 16 hex digits: names a set of options, not a secret.
std::string OptionsHash(const std::string& text);

// The request for `job`; `options_json` is LevelOptionsJson of the job's options.
// `compact`: the image and edge strength as PNG (the strength quantised to 16 bits) and a
// compact answer asked for.
void EncodeLevelRequest(const LevelJob& job, const std::string& options_json,
                        v1::LevelRequest& request, bool compact = false);

// The job a request asks for, after checking every field: level range, sizes against the
// byte counts and `max_pixels`, finite numbers, well-formed models.
Result<LevelJob> DecodeLevelRequest(const v1::LevelRequest& request, int64_t max_pixels);

// `compact`: coordinates quantised to 1/16 pixel and delta-coded, candidates in single
// precision.
void EncodeLevelReply(const LevelOutput& output, v1::LevelReply& reply, bool compact = false);

// The answer in `reply` to `job`, checked with CheckLevelOutput.
Result<LevelOutput> DecodeLevelReply(const v1::LevelReply& reply, const LevelJob& job);

}  // namespace msrf::remote
