// Reading the benchmark's inputs once and running every detector over them.
#include "msrf/eval/bench.h"
#include "msrf/boundaries/boundaries.h"
#include "msrf/core/parallel.h"

#include "msrf/core/stopwatch.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/pyramid/pyramid.h"

namespace msrf {

Result<EdgeMethod> BenchEdgeMethod(const std::string& name) {
  if (name == "berkeley" || name == "supplied") return EdgeMethod::kSupplied;
  if (name == "canny") return EdgeMethod::kCanny;
  if (name == "forest") return EdgeMethod::kForest;
  if (name == "auto") return EdgeOptions().method;
  return InvalidArgumentError("unknown edges '" + name +
                              "' (expected berkeley or supplied, auto, forest or canny)");
}

std::string BenchEdgesLabel(const std::string& name) {
  return name == "auto" ? EdgeMethodName(EdgeOptions().method) : name;
}

Result<BenchInputs> LoadBenchInputs(const ShapeDataset& data, const EdgeOptions& edges,
                                    const BenchReaders& readers) {
  MSRF_RETURN_IF_ERROR(edges.Validate());
  const bool supplied_edges = edges.method == EdgeMethod::kSupplied;
  BenchInputs inputs;
  for (const std::string& klass : data.classes) {
    const auto path = data.model_paths.find(klass);
    if (path == data.model_paths.end()) return NotFoundError("no model of class '" + klass + "'");
    MSRF_ASSIGN_OR_RETURN(inputs.models[klass], readers.model(path->second));
  }
  EdgeOptions edge_options;
  edge_options.method = edges.method;
  MSRF_ASSIGN_OR_RETURN(std::unique_ptr<EdgeDetector> detector, EdgeDetector::Create(edge_options));
  inputs.images.resize(data.images.size());
  for (size_t i = 0; i < data.images.size(); ++i) {
    const DatasetImage& e = data.images[i];
    if (supplied_edges && e.edges_path.empty()) {
      return NotFoundError(e.image_path + (data.is_manifest
                                               ? ": the manifest gives it no edge map (use "
                                                 "--edges auto, forest or canny)"
                                               : ": no Berkeley edge map beside it (use --edges "
                                                 "canny)"));
    }
    MSRF_ASSIGN_OR_RETURN(inputs.images[i],
                          readers.image(e.image_path, supplied_edges ? e.edges_path : ""));
    BenchImage& in = inputs.images[i];
    if (edges.method == EdgeMethod::kForest) {
      Stopwatch watch;
      BoundaryOptions boundary_options;
      boundary_options.forest_scales = edges.forest_scales;
      Result<BoundaryMap> map = DetectBoundaries(in.image, boundary_options);
      if (!map.ok()) return map.status().WithContext(e.image_path);
      in.strength = map->strength;
      inputs.boundaries_seconds += watch.Seconds();
    }
    Result<std::vector<std::vector<cv::Point>>> outlines = ReadDatasetOutlines(e, in.image.size());
    if (!outlines.ok()) return outlines.status();
    in.outlines = std::move(outlines).value();
    const ImageLevel level = BuildImageLevel(in.image, in.strength, 0, 1.0, PyramidOptions());
    MSRF_ASSIGN_OR_RETURN(in.edges, detector->Detect(level));
  }
  return inputs;
}

namespace {

// One detector on every image with every model: per model, the detections image by image;
// or the first image's error.
Status RunDetector(const ShapeDataset& data, const BenchInputs& inputs,
                   const ShapeDetector& detector, const BenchObserver& observer,
                   std::map<std::string, std::vector<ScoredDetection>>& by_class) {
  std::vector<const ShapeModel*> models;
  for (const std::string& klass : data.classes) models.push_back(&inputs.models.at(klass));
  const size_t n = inputs.images.size();
  std::vector<std::vector<std::vector<ScoredBox>>> per_image(n);
  std::vector<Status> errors(n);
  auto run_image = [&](size_t i) {
    Result<std::vector<std::vector<ScoredBox>>> r = detector.DetectModels(inputs.images[i], models);
    if (r.ok() && r->size() != models.size()) {
      r = InternalError(detector.name() + " answered for " + std::to_string(r->size()) +
                        " models of " + std::to_string(models.size()));
    }
    if (r.ok()) {
      per_image[i] = std::move(r).value();
    } else {
      errors[i] = r.status();
    }
    if (observer) {
      for (const std::string& klass : data.classes) observer(detector.name(), klass, i);
    }
  };
  if (detector.ImagesInParallel()) {
    ParallelFor(0, n, run_image);
  } else {
    for (size_t i = 0; i < n; ++i) run_image(i);
  }
  for (size_t i = 0; i < n; ++i) {
    if (!errors[i].ok()) return errors[i].WithContext(data.images[i].image_path);
  }
  for (size_t m = 0; m < models.size(); ++m) {
    std::vector<ScoredDetection>& out = by_class[data.classes[m]];
    for (size_t i = 0; i < n; ++i) {
      for (ScoredBox& b : per_image[i][m]) {
        out.push_back(
            {static_cast<int>(i), b.score, b.box, std::move(b.outline), std::move(b.contours)});
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<MethodDetections>> RunShapeBench(
    const ShapeDataset& data, const BenchInputs& inputs,
    const std::vector<const ShapeDetector*>& detectors, const BenchObserver& observer) {
  if (inputs.images.size() != data.images.size()) {
    return InvalidArgumentError("the inputs do not match the dataset's images");
  }
  for (const std::string& klass : data.classes) {
    if (inputs.models.count(klass) == 0) return NotFoundError("no model of class '" + klass + "'");
  }
  std::vector<MethodDetections> runs;
  for (const ShapeDetector* detector : detectors) {
    MethodDetections run;
    run.name = detector->name();
    const Stopwatch watch;
    MSRF_RETURN_IF_ERROR(RunDetector(data, inputs, *detector, observer, run.by_class));
    run.seconds = watch.Seconds();
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace msrf
