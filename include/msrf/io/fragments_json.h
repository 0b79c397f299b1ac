// The fragments file: JSON with a schema version, written by `msrf fragments`.
//
//   {"schema": 1, "kind": "msrf.fragments", "msrf_version": "...",
//    "image": {"width": W, "height": H},
//    "options": {...},                       // as in --dump-config
//    "levels": [{"index": 0, "scale": 1.0, "width": W, "height": H, "edge_pixels": n,
//                "fragments": [{"id": 0, "parent": 17 | null, "length": 52.3,
//                               "bbox": [x1, y1, x2, y2], "closed": false,
//                               "points": [[x, y], ...], "resampled": [[x, y], ...]}]}],
//    "trees": {"fragments": n, "roots": r, "links": k},
//    "timing": {...}}                        // only when asked for
//
// Coordinates are level-0 pixels (pixel centres at integers), rounded to 0.01.
#pragma once

#include <string>

#include "msrf/fragments/multiscale_fragments.h"

namespace msrf {

inline constexpr int kFragmentsSchemaVersion = 1;

struct FragmentsJsonOptions {
  // Timings under "timing", as the CLI writes by default (--no-timing: off). Off, the output
  // is a function of the inputs alone and can be compared byte for byte.
  bool include_timing = true;
  // The resampled points too, which trees and candidates are computed from. Off: a smaller
  // file.
  bool include_resampled = true;
  int indent = -1;  // -1: compact, the smallest file; otherwise spaces per level (--pretty)
};

std::string FragmentsToJson(const MultiscaleFragments& result, const MultiscaleOptions& options,
                            const FragmentsJsonOptions& json_options = {});

}  // namespace msrf
