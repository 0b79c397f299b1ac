// The shape benchmark as a library, ETHZ Shape Classes' protocol on any dataset
// (msrf/eval/dataset.h: ETHZ's layout, msrf/eval/ethz.h, or a manifest, msrf/eval/manifest.h):
// every class's model on every image, by every detector (msrf/eval/shape_detector.h), an
// image without objects of a class a negative for it; scored as detection rate against false
// positives per image, by PASCAL matching (IoU >= 0.5) and by the looser 20% criterion
// (IoU >= 0.2); and the summary, table, detections and curves a command writes.
#pragma once

#include <opencv2/core.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/eval/contours.h"
#include "msrf/eval/dataset.h"
#include "msrf/eval/detection_curve.h"
#include "msrf/eval/shape_detector.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

// How the benchmark reads its files. The command line passes readers that keep image
// codecs' warnings off its stderr.
struct BenchReaders {
  std::function<Result<ShapeModel>(const std::string& path)> model;
  // The image (BenchImage::image) and, when `edges_path` is not empty, its edge strength
  // (BenchImage::strength); BenchImage::edges is filled in by the benchmark.
  std::function<Result<BenchImage>(const std::string& image_path, const std::string& edges_path)>
      image;
};

// The edges a benchmark's `--edges NAME` asks for: "berkeley" or "supplied" the dataset's
// maps (EdgeMethod::kSupplied), "canny", "forest", or "auto", what `msrf detect` uses without an
// edge map. Any other name is an InvalidArgument error listing these.
Result<EdgeMethod> BenchEdgeMethod(const std::string& name);
// The name as the results give it: "auto" resolved to its method's name.
std::string BenchEdgesLabel(const std::string& name);

struct BenchInputs {
  std::map<std::string, ShapeModel> models;  // by class, for the dataset's classes
  std::vector<BenchImage> images;            // as the dataset's images, with their outlines
  double boundaries_seconds = 0.0;           // finding the forest's maps (kForest), else 0
};

// Reads every model and image once, with the edges of `edges.method`: kSupplied, each image's
// supplied map (Berkeley's for ETHZ; an image without one is an error); kForest, the forest's
// map of the image at `edges.forest_scales` (BenchImage::strength, found here once for every
// model); else that detector's edges. The peers' edges use the default thresholds of that
// method. The objects' true outlines are read too (ReadDatasetOutlines).
Result<BenchInputs> LoadBenchInputs(const ShapeDataset& data, const EdgeOptions& edges,
                                    const BenchReaders& readers);

// One detector's detections over the whole dataset.
struct MethodDetections {
  std::string name;
  std::map<std::string, std::vector<ScoredDetection>> by_class;  // image by image, best first
  double seconds = 0.0;  // wall time over every image and model
};

// Called after each image a detector has run on, from the thread that ran it: method,
// class, image index.
using BenchObserver =
    std::function<void(const std::string& method, const std::string& klass, size_t image)>;

// Runs every detector on every image with every class's model: one
// ShapeDetector::DetectModels call per detector and image, with the models of all the
// dataset's classes in its order; images in parallel where the detector allows. The observer
// is called once per class after each image. A detector's error names the image.
Result<std::vector<MethodDetections>> RunShapeBench(
    const ShapeDataset& data, const BenchInputs& inputs,
    const std::vector<const ShapeDetector*>& detectors, const BenchObserver& observer = {});

struct BenchCriterion {
  std::string name;  // "pascal", "iou20"
  double min_iou = 0.5;
};
// PASCAL, then the 20% criterion.
const std::vector<BenchCriterion>& BenchCriteria();
// The FPPI at which detection rates are reported: 0.3 and 0.4.
const std::vector<double>& BenchReportFppi();

struct MethodScores {
  std::string name;
  double seconds_per_image_model = 0.0;
  std::vector<std::vector<DetectionCurve>> curves;  // [criterion][class], as BenchCriteria()
  // [criterion][fppi][class], as BenchReportFppi(), then the mean over classes last.
  std::vector<std::vector<std::vector<double>>> rates;
  // [class], then the mean: the share of the class's objects that some detection boxes at
  // IoU >= 0.5, whatever its rank; what a perfect ranking of the detections would reach.
  std::vector<double> recall_ceiling;
};

std::vector<MethodScores> ScoreShapeBench(const ShapeDataset& data,
                                          const std::vector<MethodDetections>& runs);

// The scores on a half of the dataset: the odd-numbered (`odd`) or even-numbered images of
// every group (DatasetImage::group), numbered from 1 in the dataset's order within their
// group, with the detections on them. For ETHZ: the odd- or even-numbered images of every
// class folder, in name order; for a manifest: of every class's images (by their first
// object's class), and of the images without objects the same way. A change that holds on
// both halves rests on more than the images it was tried on.
std::vector<MethodScores> ScoreHalf(const ShapeDataset& data,
                                    const std::vector<MethodDetections>& runs, bool odd);

// The mean detection rates of each half (ScoreHalf): odd, then even.
struct BenchHalves {
  std::vector<MethodScores> odd, even;
};
BenchHalves ScoreHalves(const ShapeDataset& data, const std::vector<MethodDetections>& runs);

// The contour of a correct detection against its object's true outline.
struct ContourCase {
  int image = 0;         // index into the dataset's images
  size_t detection = 0;  // index into the method's detections of the class
  size_t object = 0;     // index into the image's objects
  ContourMatch outline, fragments;
};

struct ClassContours {
  std::vector<ContourCase> cases;   // the correct detections of objects with a true outline
  ContourMatch outline, fragments;  // their means (0 without cases)
};

// Contour accuracy per method: for each object with a drawn outline, the best-scoring
// detection that boxes it at IoU >= 0.5 (a correct detection), its placed outline and its
// grouped fragments matched to the true outline within kContourTolerance x the diagonal of
// the object's box. A method that gives neither has no cases.
struct MethodContours {
  std::string name;
  std::vector<ClassContours> classes;  // as the dataset's classes, then all pooled
  bool has_outline = false, has_fragments = false;
};

std::vector<MethodContours> ScoreBenchContours(const ShapeDataset& data, const BenchInputs& inputs,
                                               const std::vector<MethodDetections>& runs);

// contours.png's picture for the first method with outlines: per class, its worst and its
// best correct detection (by the outline's F), cropped around the object: the true outline
// in green, the placed outline in red, the grouped fragments in blue. A line saying so when
// no method has a case.
cv::Mat BenchContourFigure(const ShapeDataset& data, const BenchInputs& inputs,
                           const std::vector<MethodDetections>& runs,
                           const std::vector<MethodContours>& contours);

// For people: a heading, the detection rates per method, criterion, FPPI and class, the
// recall ceilings, the contour accuracy (when `contours` has any), and the seconds per image
// and model. `edges`: how the edge maps were made ("berkeley", "canny").
std::string BenchTable(const ShapeDataset& data, const std::vector<MethodScores>& scores,
                       const std::string& edges, const BenchHalves& halves = {},
                       const std::vector<MethodContours>& contours = {});

// summary.json: the rates, recall ceilings, contour accuracy and timings per method (schema
// 1), and the mean rates on each half ("halves"). "root" is the ETHZ root, or for a
// manifest the manifest file.
std::string BenchSummaryJson(const ShapeDataset& data, const std::vector<MethodScores>& scores,
                             const std::string& edges, const BenchHalves& halves = {},
                             const std::vector<MethodContours>& contours = {});

// detections.json (schema 1): the images, each with "class" (its group), "name", "path" and
// "ground_truth" (the boxes of its group's class, [x1, y1, x2, y2]), for a manifest also
// "objects" (every object: {"class", "box"}); and every detection of every method.
std::string BenchDetectionsJson(const ShapeDataset& data,
                                const std::vector<MethodDetections>& runs);

// curves.png's picture: one panel per class and the mean, PASCAL curves of every method.
cv::Mat BenchCurves(const ShapeDataset& data, const std::vector<MethodScores>& scores);

}  // namespace msrf
