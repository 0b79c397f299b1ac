// The methods a benchmark compares, behind one interface: msrf itself and its peers
// (chamfer matching, the generalized Hough transform, msrf/eval/baselines.h), each made by
// CreateShapeDetector from its name. A benchmark runs every detector on the same images,
// edge maps and models.
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/eval/baselines.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

class LevelExecutor;

// One image as every detector sees it.
struct BenchImage {
  cv::Mat image;     // BGR
  cv::Mat strength;  // CV_32F edge strength in [0, 1] when supplied (Berkeley maps), else empty
  cv::Mat edges;     // level-0 binary edge map, for the peers
};

struct ShapeDetectorOptions {
  int max_detections = 5;  // per image and model, best first; DetectOptions::max_detections
  // msrf takes BenchImage::strength as its edges. Off: msrf's own edges (Canny), which need
  // no edge maps; `msrf bench ethz` turns it on by default, for ETHZ's Berkeley maps.
  bool supplied_edges = false;
  LevelExecutor* executor = nullptr;  // msrf's level work there; null: in this process
};

class ShapeDetector {
 public:
  virtual ~ShapeDetector() = default;
  // The method's name, as given to CreateShapeDetector.
  virtual const std::string& name() const = 0;
  // The boxes found for `model` in `image`, best first. Safe to call from several threads
  // at once when ImagesInParallel() is true.
  virtual Result<std::vector<ScoredBox>> Detect(const BenchImage& image,
                                                const ShapeModel& model) const = 0;
  // False when images must run one at a time (an executor that plans image by image).
  virtual bool ImagesInParallel() const { return true; }
};

// The methods CreateShapeDetector knows: "msrf", "ghough", "chamfer".
const std::vector<std::string>& ShapeDetectorMethods();

// The detector named `method`; an unknown name is an InvalidArgument error listing the
// known ones.
Result<std::unique_ptr<ShapeDetector>> CreateShapeDetector(const std::string& method,
                                                           const ShapeDetectorOptions& options);

}  // namespace msrf
