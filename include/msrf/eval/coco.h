// A shape manifest (msrf/eval/manifest.h) from COCO-style box annotations, so that a detection
// dataset in that format runs through `msrf bench shapes`: `msrf bench coco-manifest`.
//
// COCO's instances file: {"images": [{"id", "file_name", ...}], "annotations": [{"image_id",
// "category_id", "bbox": [x, y, width, height], "iscrowd", ...}], "categories": [{"id",
// "name"}]}. Only the categories given a model become classes; every image of the file is in
// the manifest, those without objects of these classes as negatives. A crowd annotation
// (iscrowd 1: one box around many objects) is left out and counted.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

struct CocoManifestOptions {
  std::string annotations;  // the instances file, named in errors
  std::string images;       // the folder the images' file_name are in
  // (category name, model file) per class, in the manifest's order.
  std::vector<std::pair<std::string, std::string>> models;
  // Where the manifest will be written: its paths are relative to this file's folder.
  std::string out;
};

struct CocoManifestSummary {
  size_t images = 0;
  size_t negatives = 0;                   // images without objects of the classes
  std::map<std::string, size_t> objects;  // per class
  size_t crowd_skipped = 0;
};

// The manifest (schema 1) for the instances file's text `annotations_text`. Every image file
// and model must be a readable regular file. Errors are one line naming the file and field:
// "instances.json: annotations[7].bbox: expected [x, y, width, height] with width, height > 0".
Result<std::string> CocoToManifest(const std::string& annotations_text,
                                   const CocoManifestOptions& options,
                                   CocoManifestSummary* summary = nullptr);

}  // namespace msrf
