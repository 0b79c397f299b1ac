#include "support/test_support.h"

#include "msrf/io/model_io.h"

#include <unistd.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

namespace msrf::testing {
namespace fs = std::filesystem;

cv::Mat DrawOutline(cv::Size size, const std::vector<cv::Point2d>& outline, bool closed) {
  cv::Mat image = cv::Mat::zeros(size, CV_8U);
  std::vector<cv::Point> pts;
  for (const cv::Point2d& p : outline) pts.emplace_back(cvRound(p.x), cvRound(p.y));
  cv::polylines(image, pts, closed, cv::Scalar(255), 1, cv::LINE_8);
  return image;
}

cv::Mat DrawFilledShape(cv::Size size, const std::vector<cv::Point2d>& outline) {
  cv::Mat image(size, CV_8U, cv::Scalar(40));
  constexpr int kShift = 4;
  std::vector<cv::Point> pts;
  for (const cv::Point2d& p : outline) {
    pts.emplace_back(cvRound(p.x * (1 << kShift)), cvRound(p.y * (1 << kShift)));
  }
  cv::fillPoly(image, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(200), cv::LINE_AA,
               kShift);
  return image;
}

cv::Mat JpegRoundTrip(const cv::Mat& image, int quality) {
  std::vector<uchar> bytes;
  cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
  return cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
}

std::string EthzDevRoot() {
  if (const char* env = std::getenv("MSRF_ETHZ_DIR"); env != nullptr && fs::is_directory(env)) {
    return env;
  }
  const fs::path beside = fs::path(MSRF_SOURCE_DIR) / ".." / "shared" / "datasets" / "ethz-dev";
  std::error_code ec;
  if (fs::is_directory(beside, ec)) return fs::canonical(beside).string();
  return "";
}

std::string BsdsRoot() {
  if (const char* env = std::getenv("MSRF_BSDS_DIR"); env != nullptr && fs::is_directory(env)) {
    return env;
  }
  const fs::path source(MSRF_SOURCE_DIR);
  for (const fs::path& beside : {source / "..", source / ".." / ".."}) {
    const fs::path folder = beside / "shared" / "datasets" / "bsds500";
    std::error_code ec;
    if (fs::is_directory(folder, ec)) return fs::canonical(folder).string();
  }
  return "";
}

std::vector<std::string> WriteTinyBsds(const fs::path& root, const std::string& split, int images) {
  const fs::path folder = root / split;
  fs::create_directories(folder);
  std::vector<std::string> ids;
  std::mt19937 random(7);
  for (int i = 0; i < images; ++i) {
    const cv::Size size = i % 3 == 2 ? cv::Size(160, 240) : cv::Size(240, 160);
    const std::string id = std::to_string(100 + i);
    cv::Mat shape = cv::Mat::zeros(size, CV_8U);
    const cv::Point centre(size.width / 2 + 4 * i, size.height / 2 - 3 * i);
    if (i % 2 == 0) {
      cv::rectangle(shape, centre - cv::Point(50, 35), centre + cv::Point(50, 35), 255, cv::FILLED);
    } else {
      cv::ellipse(shape, centre, cv::Size(55, 38), 10.0 * i, 0, 360, 255, cv::FILLED);
    }
    cv::Mat photo(size, CV_8UC3);
    std::uniform_int_distribution<int> noise(-12, 12);
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        const int v = (shape.at<uint8_t>(y, x) != 0 ? 190 : 60) + noise(random);
        photo.at<cv::Vec3b>(y, x) = cv::Vec3b::all(static_cast<uint8_t>(v));
      }
    }
    // The outline: shape pixels with a 4-neighbour outside the shape.
    cv::Mat eroded, outline;
    cv::erode(shape, eroded, cv::getStructuringElement(cv::MORPH_CROSS, cv::Size(3, 3)));
    cv::subtract(shape, eroded, outline);
    cv::Mat shifted = cv::Mat::zeros(size, CV_8U), upper = outline.clone();
    outline(cv::Rect(0, 0, size.width - 1, size.height))
        .copyTo(shifted(cv::Rect(1, 0, size.width - 1, size.height)));
    upper(cv::Rect(0, centre.y, size.width, size.height - centre.y)).setTo(0);
    const std::string stem = (folder / id).string();
    cv::imwrite(stem + ".jpg", photo);
    cv::imwrite(stem + "_gt0.png", outline);
    cv::imwrite(stem + "_gt1.png", shifted);
    cv::imwrite(stem + "_gt2.png", upper);
    // Annotator 0's segmentation: 1 for the background, 2 for the shape (16-bit labels).
    cv::Mat labels;
    shape.convertTo(labels, CV_16U, 1.0 / 255.0, 1.0);
    cv::imwrite(stem + "_seg0.png", labels);
    ids.push_back(id);
  }
  return ids;
}

ShapeModel BundledVase() {
  auto model = LoadShapeModel(std::string(MSRF_SOURCE_DIR) + "/datasets/examples/vase.json");
  if (!model.ok()) {
    ADD_FAILURE() << model.status().ToString();
    return ShapeModel();
  }
  return *model;
}

TempDir::TempDir() {
  static int counter = 0;
  path_ = fs::temp_directory_path() /
          ("msrf-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> TempDir::Files() const {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

double DistanceToPolyline(cv::Point2d p, const std::vector<cv::Point2d>& poly, bool closed) {
  double best = 1e300;
  const size_t n = poly.size();
  const size_t segments = closed ? n : n - 1;
  for (size_t i = 0; i < segments; ++i) {
    const cv::Point2d a = poly[i], b = poly[(i + 1) % n];
    const cv::Point2d ab = b - a;
    const double len2 = ab.dot(ab);
    const double t = len2 > 0 ? std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) : 0.0;
    best = std::min(best, cv::norm(p - (a + t * ab)));
  }
  return best;
}

std::string ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace msrf::testing
