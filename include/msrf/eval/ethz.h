// The ETHZ Shape Classes protocol: reading a dataset with the v1.2 layout, and scoring
// detections as detection rate against false positives per image (FPPI).
//
// Layout: <root>/<Class>/<img>.jpg, <img>_<class>.groundtruth ("x1 y1 x2 y2" per line, one
// line per instance), <img>_edges.tif; hand-drawn models in <root>/models/<model>.tif.
// Every class's model runs on every image of the root; images of other classes are
// negatives.
#pragma once

#include <opencv2/core.hpp>

#include <map>
#include <string>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// The five classes, lower case, in the dataset's order.
const std::vector<std::string>& EthzClasses();
// The model file name (without extension) of a class: "mugs" -> "mug".
std::string EthzModelName(const std::string& klass);

struct EthzImage {
  std::string klass;  // lower case: "applelogos", ...
  std::string name;   // file stem: "another"
  std::string image_path;
  std::string edges_path;         // empty when the image has no Berkeley map
  std::vector<cv::Rect2d> boxes;  // ground truth of its own class
  // The drawn object outlines beside it (<name>.mask.<k>.png, <name>_<class>_outlines.pgm),
  // read by ReadEthzOutlines (msrf/eval/contours.h); empty when there are none.
  std::vector<std::string> outline_paths;
};

struct EthzDataset {
  std::string root;
  std::vector<std::string> classes;  // those asked for that are present, in dataset order
  std::vector<EthzImage> images;     // every image of the root, sorted by class then name
  std::map<std::string, std::string> model_paths;  // class -> hand-drawn model
};

// Reads the layout under `root`. `classes` limits the classes whose models are run (empty:
// all present); images of every class folder are read either way, as negatives.
Result<EthzDataset> ReadEthzDataset(const std::string& root,
                                    const std::vector<std::string>& classes = {});

// Reads a .groundtruth file; errors name the file and line.
Result<std::vector<cv::Rect2d>> ReadGroundTruth(const std::string& path);

struct ScoredDetection {
  int image = 0;  // index into the dataset's images
  double score = 0.0;
  cv::Rect2d box;
  std::vector<cv::Point2d> outline = {};                // as ScoredBox: msrf's placed outline
  std::vector<std::vector<cv::Point2d>> contours = {};  // and grouped fragments; or empty
};

// Detection rate against FPPI for one class, as the score threshold sweeps down.
struct DetectionCurve {
  int num_instances = 0;  // ground-truth boxes of the class
  int num_images = 0;
  std::vector<double> fppi;            // after each detection, best first
  std::vector<double> detection_rate;  // same length

  // The highest detection rate reached at an FPPI at or below `fppi_limit` (0 when none).
  double RateAtFppi(double fppi_limit) const;
};

// Scores one class. `ground_truth[i]` are the class's boxes in image i (empty for images of
// other classes). Detections are taken best first (ties: lower image index, then input
// order); each matches the unmatched ground-truth box of its image with the highest IoU, if
// that IoU is at least `min_iou` (true positive); otherwise it is a false positive. Each box
// is matched at most once, so a second detection of a found object is a false positive.
DetectionCurve ScoreDetections(const std::vector<ScoredDetection>& detections,
                               const std::vector<std::vector<cv::Rect2d>>& ground_truth,
                               double min_iou);

}  // namespace msrf
