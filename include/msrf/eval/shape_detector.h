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
#include "msrf/grouping/detect.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

class LevelExecutor;

// One image as every detector sees it.
struct BenchImage {
  cv::Mat image;  // BGR
  // CV_32F edge strength in [0, 1]: the supplied map (Berkeley maps) or the forest's, found
  // once per image for every model; empty for methods without a strength map (Canny).
  cv::Mat strength;
  cv::Mat edges;  // level-0 binary edge map, for the peers
  // Per ground-truth box, its object's true outline as pixels (msrf/eval/contours.h), or
  // none; for scoring contours, not seen by the detectors.
  std::vector<std::vector<cv::Point>> outlines = {};
};

struct ShapeDetectorOptions {
  int max_detections = 5;  // per image and model, best first; DetectOptions::max_detections
  // The edges msrf groups: kSupplied and kForest take BenchImage::strength (the supplied map,
  // or the forest's, with the forest's thresholds), the others detect edges in the image.
  // The default is what `msrf detect` uses without an edge map; `msrf bench ethz` uses the
  // Berkeley maps (kSupplied) unless told otherwise.
  EdgeMethod edges = EdgeOptions().method;
  // msrf's options; its max_detections and edge method are set from the fields above.
  DetectOptions msrf;
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
  // The boxes found for each of `models` in `image`, one list per model in its order, each as
  // Detect would give it. The benchmark calls this once per image with every class's model,
  // so that a method can share the work of an image between its models; the default calls
  // Detect for each model in turn and stops at the first error. Thread safety as Detect's.
  virtual Result<std::vector<std::vector<ScoredBox>>> DetectModels(
      const BenchImage& image, const std::vector<const ShapeModel*>& models) const;
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
