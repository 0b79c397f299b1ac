// A shape-detection dataset as the benchmark sees it, whatever its layout: images, their
// ground-truth objects (class, box, optionally the object's true outline), optional edge maps,
// and per class the model that is looked for. Readers fill it: ReadEthzDataset
// (msrf/eval/ethz.h, the ETHZ Shape Classes layout) and ReadShapeManifest
// (msrf/eval/manifest.h, a JSON manifest).
//
// The protocol (msrf/eval/bench.h): every class's model runs on every image; an image without
// objects of a class is a negative for it.
#pragma once

#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <vector>

namespace msrf {

// One ground-truth object.
struct DatasetObject {
  std::string klass;  // one of the dataset's class names (or a class not run, as a negative)
  cv::Rect2d box;     // x, y, width, height in pixels
  // This object's true outline, for contour accuracy, as an 8-bit image the size of the
  // photo: a drawn outline (nonzero pixels, any width; thinned to its centre line) or a
  // filled mask (its boundary pixels). At most one; both empty: none of its own.
  std::string outline_path = {};
  std::string mask_path = {};
};

struct DatasetImage {
  std::string name;  // how the outputs name it: ETHZ's file stem, a manifest's path
  // The images are split into halves by their position within their group (ScoreHalf in
  // msrf/eval/bench.h): ETHZ's class folder; a manifest image's first object's class, or ""
  // for an image without objects.
  std::string group;
  std::string image_path;
  std::string edges_path;  // the supplied edge map, or empty
  std::vector<DatasetObject> objects;
  // Drawings of several objects' outlines (ETHZ v1.2's <img>.mask.<k>.png and
  // <img>_<class>_outlines.pgm; each nonzero gray level one object), matched to the objects
  // that have no outline of their own by box overlap (ReadDatasetOutlines,
  // msrf/eval/contours.h).
  std::vector<std::string> outline_paths = {};

  // The boxes of the objects of class `klass`, in object order.
  std::vector<cv::Rect2d> Boxes(const std::string& klass) const;
};

struct ShapeDataset {
  // What the table calls it ("ETHZ", a manifest's "name"), and where it was read from: the
  // ETHZ root, or the manifest file.
  std::string name;
  std::string root;
  bool is_manifest = false;  // read from a manifest (its outputs also name every object's class)
  std::vector<std::string> classes;                // the classes whose models run, in order
  std::vector<DatasetImage> images;                // every image, in the dataset's order
  std::map<std::string, std::string> model_paths;  // class -> model file
};

}  // namespace msrf
