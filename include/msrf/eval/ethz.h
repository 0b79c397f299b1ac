// The ETHZ Shape Classes layout, read into a ShapeDataset (msrf/eval/dataset.h) that the
// benchmark (msrf/eval/bench.h) runs on.
//
// Layout: <root>/<Class>/<img>.jpg, <img>_<class>.groundtruth ("x1 y1 x2 y2" per line, one
// line per instance), <img>_edges.tif; hand-drawn models in <root>/models/<model>.tif.
// Every class's model runs on every image of the root; images of other classes are
// negatives.
#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/eval/dataset.h"
#include "msrf/eval/detection_curve.h"

namespace msrf {

// The five classes, lower case, in the dataset's order.
const std::vector<std::string>& EthzClasses();
// The model file name (without extension) of a class: "mugs" -> "mug".
std::string EthzModelName(const std::string& klass);

// Reads the layout under `root`: every image of every class folder, sorted by class then
// name, each in the group of its class folder with the objects of its .groundtruth (of that
// class) and its drawn outlines (DatasetImage::outline_paths); the dataset is named "ETHZ".
// `classes` limits the classes whose models are run (empty: all present); images of every
// class folder are read either way, as negatives.
Result<ShapeDataset> ReadEthzDataset(const std::string& root,
                                     const std::vector<std::string>& classes = {});

// Reads a .groundtruth file; errors name the file and line.
Result<std::vector<cv::Rect2d>> ReadGroundTruth(const std::string& path);

}  // namespace msrf
