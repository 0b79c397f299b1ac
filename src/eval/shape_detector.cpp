#include "msrf/eval/shape_detector.h"

#include "msrf/grouping/detect.h"

namespace msrf {

Result<std::vector<std::vector<ScoredBox>>> ShapeDetector::DetectModels(
    const BenchImage& image, const std::vector<const ShapeModel*>& models) const {
  std::vector<std::vector<ScoredBox>> boxes;
  boxes.reserve(models.size());
  for (const ShapeModel* model : models) {
    if (model == nullptr) return InvalidArgumentError("DetectModels: a null model");
    MSRF_ASSIGN_OR_RETURN(std::vector<ScoredBox> found, Detect(image, *model));
    boxes.push_back(std::move(found));
  }
  return boxes;
}

namespace {

class MsrfDetector final : public ShapeDetector {
 public:
  explicit MsrfDetector(const ShapeDetectorOptions& o) : options_(o.msrf), executor_(o.executor) {
    options_.max_detections = o.max_detections;
    EdgeOptions& edges = options_.fragments.edges;
    edges.method = o.edges;
    // The forest's map comes with the image (found once for every model): it is given to
    // Detect as a supplied map with the forest's thresholds, which is what Detect does with
    // the map it finds itself.
    if (o.edges == EdgeMethod::kForest) {
      edges.method = EdgeMethod::kSupplied;
      edges.supplied_high = edges.forest_high;
      edges.supplied_low = edges.forest_low;
    }
  }
  const std::string& name() const override { return name_; }
  Result<std::vector<ScoredBox>> Detect(const BenchImage& in,
                                        const ShapeModel& model) const override {
    Result<Detections> r = executor_
                               ? msrf::Detect(in.image, model, options_, in.strength, *executor_)
                               : msrf::Detect(in.image, model, options_, in.strength);
    if (!r.ok()) return r.status();
    std::vector<ScoredBox> boxes;
    for (const Detection& d : r->detections) {
      ScoredBox b{d.score, d.box, d.outline, {}};
      for (int f : d.fragments) {
        const auto& points = r->fragments.fragments[static_cast<size_t>(f)].resampled;
        b.contours.emplace_back(points.begin(), points.end());
      }
      boxes.push_back(std::move(b));
    }
    return boxes;
  }
  // The executor spreads each image's levels over its nodes and re-plans between images.
  bool ImagesInParallel() const override { return executor_ == nullptr; }

 private:
  const std::string name_ = "msrf";
  DetectOptions options_;
  LevelExecutor* executor_;
};

class ChamferDetector final : public ShapeDetector {
 public:
  explicit ChamferDetector(const ShapeDetectorOptions& o) {
    options_.max_detections = o.max_detections;
  }
  const std::string& name() const override { return name_; }
  Result<std::vector<ScoredBox>> Detect(const BenchImage& in,
                                        const ShapeModel& model) const override {
    return ChamferDetect(in.edges, model, options_);
  }

 private:
  const std::string name_ = "chamfer";
  ChamferOptions options_;
};

class HoughDetector final : public ShapeDetector {
 public:
  explicit HoughDetector(const ShapeDetectorOptions& o) {
    options_.max_detections = o.max_detections;
  }
  const std::string& name() const override { return name_; }
  Result<std::vector<ScoredBox>> Detect(const BenchImage& in,
                                        const ShapeModel& model) const override {
    return GeneralizedHoughDetect(in.image, in.edges, model, options_);
  }

 private:
  const std::string name_ = "ghough";
  HoughOptions options_;
};

}  // namespace

const std::vector<std::string>& ShapeDetectorMethods() {
  static const auto* methods = new std::vector<std::string>{"msrf", "ghough", "chamfer"};
  return *methods;
}

Result<std::unique_ptr<ShapeDetector>> CreateShapeDetector(const std::string& method,
                                                           const ShapeDetectorOptions& options) {
  if (method == "msrf") return std::unique_ptr<ShapeDetector>(new MsrfDetector(options));
  if (method == "chamfer") return std::unique_ptr<ShapeDetector>(new ChamferDetector(options));
  if (method == "ghough") return std::unique_ptr<ShapeDetector>(new HoughDetector(options));
  return InvalidArgumentError("unknown method '" + method + "' (expected msrf, ghough, chamfer)");
}

}  // namespace msrf
