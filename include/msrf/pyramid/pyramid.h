// The image pyramid: level 0 is the input, each next level smaller by `scale_factor`.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"

namespace msrf {

struct PyramidOptions {
  // Ratio between the sizes of consecutive levels, in (1, 4]. sqrt(2) gives two levels per
  // octave, fine enough that a contour keeps its shape from one level to the next.
  double scale_factor = 1.4142135623730951;
  // Most levels to build, in [1, 16]. Fewer are built when `min_size` is reached first. 4
  // levels of sqrt(2) span 1.5 octaves (the coarsest is 0.35 of the input). Not swept: each
  // further level costs half the pixels of the one before, and adds a node to deep trees,
  // whose appended label lists grow with every node.
  int num_levels = 4;
  // Smallest allowed shorter side of a level, in pixels, in [8, 4096]. A floor, not tuned: on
  // small images it ends the pyramid before levels of a few dozen pixels; a lower one keeps
  // more, and coarser, levels there.
  int min_size = 48;
  // Gaussian smoothing of every level before edge detection, in level pixels, in [0, 5].
  // 0 disables it. Levels below 0 are also anti-aliased before they are resized. 1 pixel
  // damps pixel noise before the gradients while keeping contours a few pixels apart
  // distinct; not swept.
  double sigma = 1.0;

  // OK, or an InvalidArgument error naming the first bad field.
  Status Validate() const;
};

struct ImageLevel {
  int index = 0;
  // Size of this level relative to level 0 (1 at level 0, then 1/scale_factor^index).
  double scale = 1.0;
  // 8-bit single-channel image of this level, smoothed by `sigma`.
  cv::Mat image;
  // Edge strength carried down from a user-supplied edge map (CV_32F in [0, 1]), or empty.
  cv::Mat edge_strength;
  // Size of level 0; with the full level's size it maps level pixels back to level-0 pixels.
  cv::Size base_size;
  // A crop of a level (a tile, see msrf/fragments/tiles.h) holds part of the full level:
  // `image` and `edge_strength` start at `origin` of the full level, which is `full_size`.
  // The defaults, (0, 0) and an empty size, mean the level is whole.
  cv::Point origin{0, 0};
  cv::Size full_size;
};

// The size of the whole level `level` is (a crop of): full_size, or image.size().
inline cv::Size FullLevelSize(const ImageLevel& level) {
  return level.full_size.empty() ? level.image.size() : level.full_size;
}

// Maps a point of `level` (pixel centres at integer coordinates, in the pixels of `image`,
// so relative to `origin` for a crop) to level-0 coordinates.
inline cv::Point2d ToLevel0(const ImageLevel& level, cv::Point2d p) {
  const cv::Size full = FullLevelSize(level);
  const double sx = static_cast<double>(level.base_size.width) / full.width;
  const double sy = static_cast<double>(level.base_size.height) / full.height;
  return {(p.x + level.origin.x + 0.5) * sx - 0.5, (p.y + level.origin.y + 0.5) * sy - 0.5};
}

// The image with one channel: BGR and BGRA are converted, gray is returned as it is
// (shared, not copied).
cv::Mat ToGray(const cv::Mat& image);

// The relative scale of each level the options give for an image of size `size`.
std::vector<double> PyramidScales(cv::Size size, const PyramidOptions& options);

// Builds level `index` of the pyramid directly from level 0 (so levels can be built
// independently and in parallel). `image` is 8-bit gray or BGR; `edge_strength`, if not
// empty, is CV_32F in [0, 1] and the size of `image`.
ImageLevel BuildImageLevel(const cv::Mat& image, const cv::Mat& edge_strength, int index,
                           double scale, const PyramidOptions& options);

}  // namespace msrf
