// The BSDS500 layout: listing a split's images with their annotators' maps, checking
// headers before any work, and reading the maps.
#include "msrf/eval/bsds.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <utility>

#include "bsds_internal.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"

namespace msrf {
namespace {

namespace stdfs = std::filesystem;
using internal::SizeText;

// k when `name` is "<stem>_gt<k>.png" (k decimal digits), else -1.
int AnnotatorIndex(const std::string& name, std::string* stem) {
  const std::string suffix = ".png";
  const size_t gt = name.rfind("_gt");
  if (gt == std::string::npos || gt == 0 || name.size() < suffix.size() ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return -1;
  }
  const std::string digits = name.substr(gt + 3, name.size() - suffix.size() - gt - 3);
  if (digits.empty() || digits.size() > 4 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  *stem = name.substr(0, gt);
  return std::stoi(digits);
}

Status CheckMapHeader(const std::string& path, cv::Size image_size, const std::string& what) {
  const cv::Size size = PeekImageSize(path);
  if (size.width < 0) return DataLossError(path + ": cannot read the " + what + "'s header");
  if (size != image_size) {
    return FailedPreconditionError(path + ": the " + what + " is " + SizeText(size) +
                                   " but the image is " + SizeText(image_size));
  }
  return Status::Ok();
}

}  // namespace

Result<BsdsSplit> ReadBsdsSplit(const std::string& root, const std::string& split) {
  std::error_code ec;
  if (!stdfs::is_directory(root, ec)) return NotFoundError(root + ": no such folder");
  const stdfs::path folder = stdfs::path(root) / split;
  if (!stdfs::is_directory(folder, ec)) {
    return NotFoundError(folder.string() + ": no such folder (the split '" + split + "')");
  }
  std::vector<std::string> stems;
  std::map<std::string, std::map<int, std::string>> gts;  // stem -> k -> path
  stdfs::directory_iterator it(folder, ec), end;
  if (ec) return PermissionDeniedError(folder.string() + ": cannot read the folder");
  for (; it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    const std::string name = it->path().filename().string();
    std::string stem;
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".jpg") == 0) {
      stems.push_back(name.substr(0, name.size() - 4));
    } else if (const int k = AnnotatorIndex(name, &stem); k >= 0) {
      gts[stem][k] = it->path().string();
    }
  }
  if (ec) return PermissionDeniedError(folder.string() + ": cannot read the folder");
  if (stems.empty()) return InvalidArgumentError(folder.string() + ": no images (<id>.jpg)");
  std::sort(stems.begin(), stems.end());

  BsdsSplit out{root, split, {}};
  for (const std::string& stem : stems) {
    BsdsImage image;
    image.id = stem;
    image.image_path = (folder / (stem + ".jpg")).string();
    const auto found = gts.find(stem);
    if (found == gts.end()) {
      return InvalidArgumentError(image.image_path + ": no annotator's boundary map (" + stem +
                                  "_gt0.png, ...)");
    }
    for (const auto& [k, path] : found->second) image.gt_paths.push_back(path);
    image.size = PeekImageSize(image.image_path);
    if (image.size.width < 0)
      return DataLossError(image.image_path + ": cannot read the image's header");
    for (const std::string& path : image.gt_paths) {
      MSRF_RETURN_IF_ERROR(CheckMapHeader(path, image.size, "boundary map"));
    }
    out.images.push_back(std::move(image));
  }
  return out;
}

BsdsImageReader DefaultBsdsImageReader() {
  return [](const std::string& path, int imread_flags) {
    ImageReadOptions options;
    options.imread_flags = imread_flags;
    return ReadImage(path, options);
  };
}

Result<std::vector<cv::Mat>> ReadBsdsGroundTruth(const BsdsImage& image,
                                                 const BsdsImageReader& reader) {
  std::vector<cv::Mat> maps;
  for (const std::string& path : image.gt_paths) {
    MSRF_ASSIGN_OR_RETURN(cv::Mat map, reader(path, internal::kReadUnchanged));
    if (map.type() != CV_8UC1) {
      return InvalidArgumentError(path + ": the boundary map is not single-channel 8-bit");
    }
    if (map.size() != image.size) {
      return FailedPreconditionError(path + ": the boundary map is " + SizeText(map.size()) +
                                     " but the image is " + SizeText(image.size));
    }
    cv::Mat binary;
    cv::compare(map, 0, binary, cv::CMP_NE);
    maps.push_back(std::move(binary));
  }
  return maps;
}

Status CheckBsdsMapFolder(const BsdsSplit& split, const std::string& folder) {
  std::error_code ec;
  if (!stdfs::is_directory(folder, ec)) return NotFoundError(folder + ": no such folder");
  for (const BsdsImage& image : split.images) {
    const std::string path = internal::BsdsMapPath(folder, image.id);
    MSRF_RETURN_IF_ERROR(CheckReadableFile(path));
    MSRF_RETURN_IF_ERROR(CheckMapHeader(path, image.size, "map"));
  }
  return Status::Ok();
}

}  // namespace msrf
