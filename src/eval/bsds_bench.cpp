// Methods under test (detectors, precomputed maps, human agreement) and running them over a
// split, images in parallel.
#include <algorithm>
#include <atomic>
#include <utility>

#include "bsds_internal.h"
#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/eval/bsds.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf {

using internal::SizeText;

BsdsMethod StrengthBsdsMethod(const std::string& name, bool needs_photo,
                              BsdsStrengthFunction strength) {
  BsdsMethod method;
  method.name = name;
  method.needs_photo = needs_photo;
  method.evaluate = [strength = std::move(strength)](
                        const BsdsImage& image, const cv::Mat& photo,
                        const std::vector<cv::Mat>& human,
                        const BsdsOptions& options) -> Result<std::vector<BoundaryCounts>> {
    MSRF_ASSIGN_OR_RETURN(const cv::Mat map, strength(image, photo));
    if (map.type() != CV_32FC1 || map.size() != image.size) {
      return InvalidArgumentError("the strength map is not CV_32F of the image's size (" +
                                  SizeText(image.size) + ")");
    }
    return EvaluateBoundaryMap(map, human, options);
  };
  return method;
}

BsdsMethod DetectorBsdsMethod(const std::string& name, const BoundaryOptions& options) {
  return StrengthBsdsMethod(
      name, true, [options](const BsdsImage&, const cv::Mat& photo) -> Result<cv::Mat> {
        MSRF_ASSIGN_OR_RETURN(const BoundaryMap map, DetectBoundaries(photo, options));
        return map.strength;
      });
}

BsdsMethod MapFolderBsdsMethod(const std::string& name, const std::string& folder,
                               BsdsImageReader reader) {
  return StrengthBsdsMethod(
      name, false,
      [folder, reader = std::move(reader)](const BsdsImage& image,
                                           const cv::Mat&) -> Result<cv::Mat> {
        const std::string path = internal::BsdsMapPath(folder, image.id);
        MSRF_ASSIGN_OR_RETURN(const cv::Mat map, reader(path, internal::kReadUnchanged));
        if (map.depth() != CV_8U && map.depth() != CV_16U)
          return InvalidArgumentError(path + ": the map is not 8- or 16-bit");
        if (map.size() != image.size) {
          return FailedPreconditionError(path + ": the map is " + SizeText(map.size()) +
                                         " but the image is " + SizeText(image.size));
        }
        Result<cv::Mat> strength = EdgeStrengthFromMap(map);
        if (!strength.ok()) return strength.status().WithContext(path);
        return strength;
      });
}

BsdsMethod HumanBsdsMethod(const std::string& name) {
  BsdsMethod method;
  method.name = name;
  method.evaluate = [](const BsdsImage&, const cv::Mat&, const std::vector<cv::Mat>& human,
                       const BsdsOptions& options) {
    return EvaluateHumanAgreement(human, options);
  };
  return method;
}

Result<std::vector<BsdsMethodResult>> RunBsdsBench(const BsdsSplit& split,
                                                   const std::vector<BsdsMethod>& methods,
                                                   const BsdsOptions& options,
                                                   const BsdsImageReader& reader,
                                                   const BsdsObserver& observer) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (methods.empty()) return InvalidArgumentError("no method to run");
  const bool needs_photo = std::any_of(methods.begin(), methods.end(),
                                       [](const BsdsMethod& m) { return m.needs_photo; });
  const size_t n = split.images.size();
  std::vector<BsdsMethodResult> runs(methods.size());
  std::vector<std::vector<double>> seconds(methods.size(), std::vector<double>(n, 0.0));
  for (size_t m = 0; m < methods.size(); ++m) {
    runs[m].name = methods[m].name;
    runs[m].per_image.resize(n);
  }
  std::vector<Status> errors(n);
  std::atomic<bool> failed{false};
  ParallelFor(0, n, [&](size_t i) {
    if (failed.load()) return;
    const BsdsImage& image = split.images[i];
    auto fail = [&](const Status& status) {
      errors[i] = status;
      failed.store(true);
    };
    Result<std::vector<cv::Mat>> human = ReadBsdsGroundTruth(image, reader);
    if (!human.ok()) return fail(human.status());
    cv::Mat photo;
    if (needs_photo) {
      Result<cv::Mat> read = reader(image.image_path, internal::kReadColour);
      if (!read.ok()) return fail(read.status());
      if (read->size() != image.size) {
        return fail(DataLossError(image.image_path + ": decodes to " + SizeText(read->size()) +
                                  " but its header says " + SizeText(image.size)));
      }
      photo = std::move(read).value();
    }
    for (size_t m = 0; m < methods.size(); ++m) {
      const Stopwatch watch;
      Result<std::vector<BoundaryCounts>> counts =
          methods[m].evaluate(image, methods[m].needs_photo ? photo : cv::Mat(), *human, options);
      if (!counts.ok()) {
        return fail(counts.status().WithContext(methods[m].name + " on " + image.image_path));
      }
      if (counts->size() != static_cast<size_t>(options.thresholds)) {
        return fail(InternalError(methods[m].name + " on " + image.image_path + ": " +
                                  std::to_string(counts->size()) + " counts for " +
                                  std::to_string(options.thresholds) + " thresholds"));
      }
      seconds[m][i] = watch.Seconds();
      runs[m].per_image[i] = std::move(counts).value();
      if (observer) observer(methods[m].name, i);
    }
  });
  for (const Status& error : errors) {
    if (!error.ok()) return error;
  }
  for (size_t m = 0; m < methods.size(); ++m) {
    runs[m].scores = ScoreBsds(runs[m].per_image, options);
    for (double s : seconds[m]) runs[m].seconds += s;
  }
  return runs;
}

}  // namespace msrf
