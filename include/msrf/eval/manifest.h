// A shape dataset described by a JSON manifest, so that the benchmark (msrf/eval/bench.h)
// runs on any images: `msrf bench shapes --manifest DATASET.json`. Schema 1:
//
//   {"schema": 1,
//    "name": "kitchen",                                   (optional; default: the file's stem)
//    "classes": [{"name": "mug", "model": "models/mug.json"}, ...],
//    "images": [{"path": "images/0001.jpg",
//                "edges": "edges/0001.png",               (optional edge-strength map)
//                "objects": [{"class": "mug", "box": [x1, y1, x2, y2],
//                             "outline": "outlines/0001-0.png"}]},   (or "mask"; optional)
//               {"path": "images/0002.jpg"}]}             (no objects: a negative)
//
// Paths are relative to the manifest's folder (or absolute). A model is anything `msrf model`
// reads: a model or polygon JSON, an outline drawing or a mask. Boxes are corners in pixels,
// x1 < x2 and y1 < y2, as ETHZ's ground truth. An object's "outline" is an 8-bit image the
// size of the photo with its outline drawn (nonzero, any width), "mask" one with the object
// filled: for contour accuracy. Every class's model runs on every image; an image without
// objects of a class is a negative for it. Unknown keys are refused (a misspelt key would
// otherwise drop data silently).
#pragma once

#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/eval/dataset.h"

namespace msrf {

inline constexpr int kShapeManifestSchema = 1;

// Reads the manifest at `path` and checks that every file it names is a readable regular file.
// `classes` limits the classes whose models run (empty: all, in the manifest's order); their
// objects stay in the dataset either way. Errors are one line naming the manifest and the
// field: "<path>: images[3].objects[0].box: expected [x1, y1, x2, y2] with x1 < x2 and
// y1 < y2".
Result<ShapeDataset> ReadShapeManifest(const std::string& path,
                                       const std::vector<std::string>& classes = {});

// As ReadShapeManifest, from the manifest's text; `path` names it in errors and its folder
// is where relative paths start.
Result<ShapeDataset> ParseShapeManifest(const std::string& text, const std::string& path,
                                        const std::vector<std::string>& classes = {});

}  // namespace msrf
