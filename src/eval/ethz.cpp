#include "msrf/eval/ethz.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
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

namespace {

// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): names and paths end up in JSON, which holds nothing else.
bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    unsigned min = 0, code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, code = c & 0x07;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= s.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<size_t>(k)]);
      if ((b & 0xC0) != 0x80) return false;
      code = (code << 6) | (b & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

// `s` with bytes outside printable ASCII written as \xHH, for an error message.
std::string Printable(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out += ch;
    } else {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

Status NotUtf8(const std::string& path) {
  return InvalidArgumentError(Printable(path) +
                              ": the name is not valid UTF-8 (the outputs are JSON); rename it");
}

Status FilesystemError(const fs::path& path, const std::error_code& ec) {
  return InvalidArgumentError(Printable(path.string()) + ": cannot read: " + ec.message());
}

// Whether `path` is a folder; a path that does not exist is not, any other error is one.
Result<bool> IsFolder(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && st.type() != fs::file_type::not_found) return FilesystemError(path, ec);
  return st.type() == fs::file_type::directory;
}

// Whether `path` exists; an error other than "not found" is one.
Result<bool> Exists(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && st.type() != fs::file_type::not_found) return FilesystemError(path, ec);
  return fs::exists(st);
}

// The entries of `folder`, sorted; a folder that cannot be listed is an error naming it.
Result<std::vector<fs::path>> ListFolder(const fs::path& folder) {
  std::vector<fs::path> entries;
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(it->path());
  if (ec) return FilesystemError(folder, ec);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// The class folders under `root` (any case, "models" aside), sorted.
Result<std::vector<fs::path>> ClassFolders(const std::string& root) {
  MSRF_ASSIGN_OR_RETURN(std::vector<fs::path> entries, ListFolder(root));
  std::vector<fs::path> folders;
  for (const fs::path& e : entries) {
    const std::string name = Lower(e.filename().string());
    const auto& known = EthzClasses();
    if (name == "models" || std::find(known.begin(), known.end(), name) == known.end()) continue;
    MSRF_ASSIGN_OR_RETURN(const bool folder, IsFolder(e));
    if (folder) folders.push_back(e);
  }
  return folders;
}

// The images of one class folder, with their edge maps and ground truth.
Status ReadClassFolder(const fs::path& folder, std::vector<EthzImage>& images) {
  const std::string klass = Lower(folder.filename().string());
  MSRF_ASSIGN_OR_RETURN(const std::vector<fs::path> entries, ListFolder(folder));
  for (const fs::path& jpg : entries) {
    if (Lower(jpg.extension().string()) != ".jpg") continue;
    if (!IsUtf8(jpg.string())) return NotUtf8(jpg.string());
    EthzImage img;
    img.klass = klass;
    img.name = jpg.stem().string();
    img.image_path = jpg.string();
    const fs::path edges = folder / (img.name + "_edges.tif");
    MSRF_ASSIGN_OR_RETURN(const bool has_edges, Exists(edges));
    if (has_edges) img.edges_path = edges.string();
    const fs::path gt = folder / (img.name + "_" + klass + ".groundtruth");
    MSRF_ASSIGN_OR_RETURN(const bool has_gt, Exists(gt));
    if (has_gt) {
      MSRF_ASSIGN_OR_RETURN(img.boxes, ReadGroundTruth(gt.string()));
    }
    for (const fs::path& entry : entries) {
      const std::string file = entry.filename().string();
      const std::string mask_prefix = img.name + ".mask.";
      const bool mask = file.size() > mask_prefix.size() + 4 &&
                        file.compare(0, mask_prefix.size(), mask_prefix) == 0 &&
                        Lower(entry.extension().string()) == ".png";
      if (mask || file == img.name + "_" + klass + "_outlines.pgm") {
        img.outline_paths.push_back(entry.string());
      }
    }
    images.push_back(std::move(img));
  }
  return Status::Ok();
}

// The model of each requested class that has images, in dataset order.
Status FindModels(const std::string& root, const std::vector<std::string>& classes,
                  EthzDataset& data) {
  for (const std::string& klass : EthzClasses()) {
    if (!classes.empty() && std::find(classes.begin(), classes.end(), klass) == classes.end())
      continue;
    const bool present = std::any_of(data.images.begin(), data.images.end(),
                                     [&](const EthzImage& i) { return i.klass == klass; });
    if (!present) continue;
    const fs::path model = fs::path(root) / "models" / (EthzModelName(klass) + ".tif");
    MSRF_ASSIGN_OR_RETURN(const bool found, Exists(model));
    if (!found) return NotFoundError(model.string() + ": model of class '" + klass + "' not found");
    data.model_paths[klass] = model.string();
    data.classes.push_back(klass);
  }
  return Status::Ok();
}

}  // namespace

// Every filesystem call here takes an error_code: a loop of symbolic links or a folder that
// cannot be listed is a bad dataset, reported with its path, never an exception.
Result<EthzDataset> ReadEthzDataset(const std::string& root,
                                    const std::vector<std::string>& classes) {
  if (!IsUtf8(root)) return NotUtf8(root);
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
  MSRF_ASSIGN_OR_RETURN(const std::vector<fs::path> folders, ClassFolders(root));
  for (const fs::path& folder : folders) {
    MSRF_RETURN_IF_ERROR(ReadClassFolder(folder, data.images));
  }
  if (data.images.empty()) {
    return InvalidArgumentError(root +
                                ": no ETHZ class folders with images (expected e.g. Mugs/*.jpg)");
  }
  MSRF_RETURN_IF_ERROR(FindModels(root, classes, data));
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
