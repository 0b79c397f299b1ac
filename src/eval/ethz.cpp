#include "msrf/eval/ethz.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "dataset_internal.h"

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

using internal::Exists;
using internal::FilesystemError;
using internal::IsUtf8;
using internal::NotUtf8;

// Whether `path` is a folder; a path that does not exist is not, any other error is one.
Result<bool> IsFolder(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec && st.type() != fs::file_type::not_found) return FilesystemError(path, ec);
  return st.type() == fs::file_type::directory;
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
Status ReadClassFolder(const fs::path& folder, std::vector<DatasetImage>& images) {
  const std::string klass = Lower(folder.filename().string());
  MSRF_ASSIGN_OR_RETURN(const std::vector<fs::path> entries, ListFolder(folder));
  for (const fs::path& jpg : entries) {
    if (Lower(jpg.extension().string()) != ".jpg") continue;
    if (!IsUtf8(jpg.string())) return NotUtf8(jpg.string());
    DatasetImage img;
    img.group = klass;
    img.name = jpg.stem().string();
    img.image_path = jpg.string();
    const fs::path edges = folder / (img.name + "_edges.tif");
    MSRF_ASSIGN_OR_RETURN(const bool has_edges, Exists(edges));
    if (has_edges) img.edges_path = edges.string();
    const fs::path gt = folder / (img.name + "_" + klass + ".groundtruth");
    MSRF_ASSIGN_OR_RETURN(const bool has_gt, Exists(gt));
    if (has_gt) {
      MSRF_ASSIGN_OR_RETURN(const std::vector<cv::Rect2d> boxes, ReadGroundTruth(gt.string()));
      for (const cv::Rect2d& box : boxes) img.objects.push_back({klass, box});
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
                  ShapeDataset& data) {
  for (const std::string& klass : EthzClasses()) {
    if (!classes.empty() && std::find(classes.begin(), classes.end(), klass) == classes.end())
      continue;
    const bool present = std::any_of(data.images.begin(), data.images.end(),
                                     [&](const DatasetImage& i) { return i.group == klass; });
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
Result<ShapeDataset> ReadEthzDataset(const std::string& root,
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
  ShapeDataset data;
  data.name = "ETHZ";
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

}  // namespace msrf
