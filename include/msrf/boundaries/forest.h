// msrf's boundary detector: a structured random forest (Dollar & Zitnick, "Fast Edge Detection
// Using Structured Forests", PAMI 2015), learned from the human boundaries of BSDS500.
//
// Every tree maps the features of a 32 x 32 image patch to a leaf that holds a 16 x 16
// boundary patch, the segmentation of a training patch that fell into that leaf. The trees
// are run at every other pixel and their boundary patches averaged, so each pixel's strength
// is the share of votes that saw a boundary through it. docs/boundaries.md says why this
// method and how it was trained.
//
//   const msrf::Forest& forest = msrf::DefaultForest();         // the one shipped
//   msrf::Result<msrf::BoundaryMap> raw = msrf::ForestBoundaries(forest, bgr_image);
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "msrf/boundaries/boundaries.h"
#include "msrf/core/status.h"

namespace msrf {

// The patch geometry and channels, fixed when a forest is trained and stored with it.
struct ForestGeometry {
  int patch = 32;          // side of the image patch the features see, in pixels
  int label_patch = 16;    // side of the boundary patch a leaf holds (centred in the patch)
  int shrink = 2;          // channels are computed at 1/shrink resolution; trees run at this stride
  int orientations = 4;    // gradient orientation bins per scale
  int cells = 5;           // self-similarity grid: cells x cells samples of the patch
  int channel_smooth = 2;  // triangle radius smoothing the channels (shrunk pixels)
  int similarity_smooth = 8;  // triangle radius before self-similarity (shrunk pixels)
  int gradient_norm = 4;      // triangle radius of the gradient normalisation (pixels)

  int NumChannels() const { return 3 + 2 * (1 + orientations); }
  int ShrunkPatch() const { return patch / shrink; }
  int NumPixelFeatures() const { return ShrunkPatch() * ShrunkPatch() * NumChannels(); }
  int NumPairFeatures() const { return cells * cells * (cells * cells - 1) / 2 * NumChannels(); }
  int NumFeatures() const { return NumPixelFeatures() + NumPairFeatures(); }
  Status Validate() const;
};

struct ForestTree {
  // Node i splits on feature `feature[i]`: features below `threshold[i]` go to child[i], the
  // others to child[i] + 1. child[i] == 0 marks a leaf.
  std::vector<uint16_t> feature;
  std::vector<float> threshold;
  std::vector<uint32_t> child;
  // Leaf i's boundary pixels (indices y * label_patch + x) are
  // boundary_pixels[boundary_begin[i] .. boundary_begin[i + 1]).
  std::vector<uint32_t> boundary_begin;
  std::vector<uint8_t> boundary_pixels;
};

struct Forest {
  ForestGeometry geometry;
  std::vector<ForestTree> trees;
  // Trees run at each position (at most trees.size()); positions alternate which ones.
  int trees_per_position = 4;
  // Where the forest came from, for a person: the command, data and seed that trained it.
  std::string provenance;

  // OK when every node and leaf is well formed (used on every forest read from bytes).
  Status Validate() const;
};

// The forest that ships with msrf (data/boundary_forest.bin, made by `msrf train-edges`;
// data/README.md says how). Empty (no trees) only if that file was damaged at build time..
const Forest& DefaultForest();

// Binary form: a magic, the geometry, the trees (little-endian). Parsing checks every index.
std::string SerializeForest(const Forest& forest);
Result<Forest> ParseForest(const std::string& bytes);
Result<Forest> ReadForest(const std::string& path);

// The raw (not thinned) strength of `image` (8-bit gray, BGR or BGRA), with the ridge
// orientation of that strength. In parallel over rows; the same for any thread count.
Result<BoundaryMap> ForestBoundaries(const Forest& forest, const cv::Mat& image);

// The feature channels of an 8-bit image, shrunk: CV_32FC(NumChannels()), with `pad` pixels
// mirrored around the image first (pad a multiple of shrink).
cv::Mat ForestChannels(const cv::Mat& image, const ForestGeometry& geometry, int pad);

// Training.
struct ForestTrainOptions {
  ForestGeometry geometry;
  // Eight trees, four run at each position and alternating between neighbouring positions:
  // each pixel's votes come from all eight (Dollar & Zitnick's choice) at the cost of four.
  int num_trees = 8;
  int trees_per_position = 4;
  // Patches per tree, drawn evenly from every image and annotator: half within half a label
  // patch of that annotator's boundary, half farther; each labelled by its annotator.
  int samples_per_tree = 200000;
  // A tree sees this share of the features, drawn at random per tree.
  double feature_fraction = 0.25;
  int max_depth = 64;
  int min_samples_to_split = 16;  // nodes with fewer become leaves
  int min_child = 8;              // fewest samples in either child of a split
  int label_pairs = 256;          // pixel pairs compared to discretise a boundary patch
  uint64_t seed = 1;
  Status Validate() const;
};

// One training image: the photo and its annotators' segmentations (CV_16U or CV_32S labels).
struct ForestTrainImage {
  std::string id;
  cv::Mat image;
  std::vector<cv::Mat> segmentations;
};

// Trains a forest; `progress` (may be empty) is told each finished tree. The result depends
// only on the images, their order and the options (seed included), not on threads.
Result<Forest> TrainForest(const std::vector<ForestTrainImage>& images,
                           const ForestTrainOptions& options,
                           const std::function<void(int tree, int num_trees)>& progress = {});

}  // namespace msrf
