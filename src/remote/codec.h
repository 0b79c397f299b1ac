// Level jobs and their answers on the wire (msrf/remote/v1/level_worker.proto), and the
// checks on everything that arrives.
#pragma once

#include <string>

#include "msrf/core/status.h"
#include "msrf/fragments/tiles.h"
#include "msrf/grouping/level_work.h"
#include "msrf/remote/v1/level_worker.pb.h"

namespace msrf::remote {

// The options a level job runs with, as canonical JSON ({"fragments": ..., "candidates": ...}).
std::string LevelOptionsJson(const MultiscaleOptions& fragments,
                             const CandidateOptions& candidates);

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

// The request for tile `job` of a tiled level. `options_json` is LevelOptionsJson of the
// plan's options (which carry the level's Canny threshold) and the level's candidate
// options, so a node agrees to it at a handshake like a level's. `compact` as for levels.
void EncodeTileRequest(const TileJob& job, const std::string& options_json,
                       v1::TileRequest& request, bool compact = false);

// The tile job a request asks for, after the checks of DecodeLevelRequest on the crop and
// these: no models, the crop inside the level, the core non-empty and inside the crop, an
// edge method that can be tiled and, for Canny, the level's threshold given.
Result<TileJob> DecodeTileRequest(const v1::TileRequest& request, int64_t max_pixels);

// `compact`: the candidate and seed maps as one PNG instead of bit maps, and fragment
// coordinates quantised as in compact level answers. Chains are exact either way.
void EncodeTileReply(const TileOutput& output, v1::TileReply& reply, bool compact = false);

// The answer in `reply` to `job`, checked: the tile, level and core match the job, the maps
// are the core's size (seeds among the candidates), chains are 8-connected, start in the
// core and stay in the crop, fragments are of the level with finite points in the image.
// Any failure is a DataLoss error "malformed tile output: ...".
Result<TileOutput> DecodeTileReply(const v1::TileReply& reply, const TileJob& job);

}  // namespace msrf::remote
