#include "msrf/eval/ethz.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "msrf/core/box.h"

namespace msrf {
namespace fs = std::filesystem;

const std::vector<std::string>& EthzClasses() {
  static const auto* classes =
      new std::vector<std::string>{"applelogos", "bottles", "giraffes", "mugs", "swans"};
  return *classes;
}

std::string EthzModelName(const std::string& klass) {
  return klass.empty() || klass.back() != 's' ? klass : klass.substr(0, klass.size() - 1);
}

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

Result<std::vector<cv::Rect2d>> ReadGroundTruth(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFoundError(path + ": cannot open");
  std::vector<cv::Rect2d> boxes;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream ss(line);
    double x1, y1, x2, y2;
    if (!(ss >> x1 >> y1 >> x2 >> y2) || x2 < x1 || y2 < y1) {
      return InvalidArgumentError(path + ":" + std::to_string(number) +
                                  ": expected 'x1 y1 x2 y2' with x1 <= x2, y1 <= y2");
    }
    boxes.emplace_back(x1, y1, x2 - x1, y2 - y1);
  }
  return boxes;
}

Result<EthzDataset> ReadEthzDataset(const std::string& root,
                                    const std::vector<std::string>& classes) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return NotFoundError(root + ": no such folder");
  for (const std::string& c : classes) {
    const auto& known = EthzClasses();
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      return InvalidArgumentError("unknown class '" + c +
                                  "' (expected applelogos, bottles, giraffes, mugs, swans)");
    }
  }
  EthzDataset data;
  data.root = root;
  std::vector<fs::path> folders;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (e.is_directory() && Lower(e.path().filename().string()) != "models")
      folders.push_back(e.path());
  }
  std::sort(folders.begin(), folders.end());
  for (const fs::path& folder : folders) {
    const std::string klass = Lower(folder.filename().string());
    const auto& known = EthzClasses();
    if (std::find(known.begin(), known.end(), klass) == known.end()) continue;
    std::vector<fs::path> jpgs;
    for (const auto& e : fs::directory_iterator(folder)) {
      if (Lower(e.path().extension().string()) == ".jpg") jpgs.push_back(e.path());
    }
    std::sort(jpgs.begin(), jpgs.end());
    for (const fs::path& jpg : jpgs) {
      EthzImage img;
      img.klass = klass;
      img.name = jpg.stem().string();
      img.image_path = jpg.string();
      const fs::path edges = folder / (img.name + "_edges.tif");
      if (fs::exists(edges)) img.edges_path = edges.string();
      const fs::path gt = folder / (img.name + "_" + klass + ".groundtruth");
      if (fs::exists(gt)) {
        MSRF_ASSIGN_OR_RETURN(img.boxes, ReadGroundTruth(gt.string()));
      }
      data.images.push_back(std::move(img));
    }
  }
  if (data.images.empty()) {
    return InvalidArgumentError(root +
                                ": no ETHZ class folders with images (expected e.g. Mugs/*.jpg)");
  }
  for (const std::string& klass : EthzClasses()) {
    if (!classes.empty() && std::find(classes.begin(), classes.end(), klass) == classes.end())
      continue;
    const bool present = std::any_of(data.images.begin(), data.images.end(),
                                     [&](const EthzImage& i) { return i.klass == klass; });
    if (!present) continue;
    const fs::path model = fs::path(root) / "models" / (EthzModelName(klass) + ".tif");
    if (!fs::exists(model))
      return NotFoundError(model.string() + ": model of class '" + klass + "' not found");
    data.model_paths[klass] = model.string();
    data.classes.push_back(klass);
  }
  if (data.classes.empty())
    return InvalidArgumentError(root + ": none of the requested classes is present");
  return data;
}

double DetectionCurve::RateAtFppi(double fppi_limit) const {
  double best = 0.0;
  for (size_t i = 0; i < fppi.size(); ++i) {
    if (fppi[i] <= fppi_limit + 1e-12) best = std::max(best, detection_rate[i]);
  }
  return best;
}

DetectionCurve ScoreDetections(const std::vector<ScoredDetection>& detections,
                               const std::vector<std::vector<cv::Rect2d>>& ground_truth,
                               double min_iou) {
  DetectionCurve curve;
  curve.num_images = static_cast<int>(ground_truth.size());
  for (const auto& boxes : ground_truth) curve.num_instances += static_cast<int>(boxes.size());
  std::vector<size_t> order(detections.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (detections[a].score != detections[b].score)
      return detections[a].score > detections[b].score;
    return detections[a].image < detections[b].image;
  });
  std::vector<std::vector<char>> matched(ground_truth.size());
  for (size_t i = 0; i < ground_truth.size(); ++i) matched[i].assign(ground_truth[i].size(), 0);
  int tp = 0, fp = 0;
  for (size_t k : order) {
    const ScoredDetection& d = detections[k];
    bool hit = false;
    if (d.image >= 0 && d.image < curve.num_images) {
      const auto& boxes = ground_truth[static_cast<size_t>(d.image)];
      int best = -1;
      double best_iou = min_iou;
      for (size_t b = 0; b < boxes.size(); ++b) {
        const double iou = BoxIou(d.box, boxes[b]);
        if (!matched[static_cast<size_t>(d.image)][b] && iou >= best_iou) {
          if (best < 0 || iou > best_iou) {
            best = static_cast<int>(b);
            best_iou = iou;
          }
        }
      }
      if (best >= 0) {
        matched[static_cast<size_t>(d.image)][static_cast<size_t>(best)] = 1;
        hit = true;
      }
    }
    hit ? ++tp : ++fp;
    curve.fppi.push_back(curve.num_images > 0 ? static_cast<double>(fp) / curve.num_images : 0.0);
    curve.detection_rate.push_back(
        curve.num_instances > 0 ? static_cast<double>(tp) / curve.num_instances : 0.0);
  }
  return curve;
}

}  // namespace msrf
