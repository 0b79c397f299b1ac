// Helpers shared by the tests: drawing known shapes, finding optional data, temporary
// folders, and reading JSON back.
#pragma once

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "msrf/grouping/detect.h"
#include "msrf/shape/shape_model.h"

namespace msrf::testing {

// A blank 8-bit image of `size` with `outline` drawn as a closed (or open) one-pixel
// polyline of value 255, without anti-aliasing: its pixels are exactly the edge pixels.
cv::Mat DrawOutline(cv::Size size, const std::vector<cv::Point2d>& outline, bool closed = true);

// A gray image with the polygon `outline` filled in bright on a dark background: one step
// edge along its boundary, as a camera would see a silhouette.
cv::Mat DrawFilledShape(cv::Size size, const std::vector<cv::Point2d>& outline);

// `image` encoded as JPEG at `quality` (1-100) and decoded again, gray.
cv::Mat JpegRoundTrip(const cv::Mat& image, int quality);

// The ETHZ dev half (../shared/datasets/ethz-dev beside the source tree), or the folder in
// $MSRF_ETHZ_DIR; empty when neither exists.
std::string EthzDevRoot();

// BSDS500 (shared/datasets/bsds500 beside the source tree or beside its parent folder, where
// a git worktree of it sits), or the folder in $MSRF_BSDS_DIR; empty when none exists.
std::string BsdsRoot();

// Writes a tiny dataset with the BSDS500 layout: <root>/<split>/<id>.jpg, a bright filled
// shape (a rectangle, then an ellipse, ...) on a noisy dark background, 240x160 (every
// third image 160x240), and three annotators' maps <id>_gt<k>.png: the shape's outline,
// the same shifted by one pixel, and its upper half only; and annotator 0's segmentation
// <id>_seg0.png (16-bit, 1 background, 2 shape). Returns the ids, sorted.
std::vector<std::string> WriteTinyBsds(const std::filesystem::path& root, const std::string& split,
                                       int images);

// A parameterised test over the ETHZ dev half: root_ is its folder, and the test skips, with
// a message, when the data are absent.
template <typename Param>
class EthzDevTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    root_ = EthzDevRoot();
    if (root_.empty())
      GTEST_SKIP() << "ETHZ dev data not found (../shared/datasets/ethz-dev or "
                      "$MSRF_ETHZ_DIR); skipping";
  }
  std::string root_;
};

// The bundled example model, datasets/examples/vase.json (a failure is reported and an
// empty model returned).
ShapeModel BundledVase();

// A fresh empty folder under the system temp folder, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string Path(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }
  // Names of the files in the folder, sorted.
  std::vector<std::string> Files() const;

 private:
  std::filesystem::path path_;
};

// The whole of the file at `path` as bytes; empty when it cannot be read.
std::string ReadFileBytes(const std::string& path);

// Distance from p to the closed polygon (or open polyline) `poly`.
double DistanceToPolyline(cv::Point2d p, const std::vector<cv::Point2d>& poly, bool closed);

// Options with Canny's edges in place of the default boundary forest: for tests of Canny
// itself, and of what follows the edges on drawn scenes, whose one-pixel steps Canny finds
// exactly (the forest, learned on photos, marks them a pixel or two wide).
inline EdgeOptions CannyEdgeOptions() {
  EdgeOptions o;
  o.method = EdgeMethod::kCanny;
  return o;
}
inline MultiscaleOptions CannyMultiscaleOptions() {
  MultiscaleOptions o;
  o.edges = CannyEdgeOptions();
  return o;
}
inline DetectOptions CannyDetectOptions() {
  DetectOptions o;
  o.fragments = CannyMultiscaleOptions();
  return o;
}

}  // namespace msrf::testing
