// Pieces of the structured forest shared by detection and training.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/boundaries/forest.h"

namespace msrf::internal {

// ForestBoundaries' strength, without the orientation.
Result<cv::Mat> ForestStrength(const Forest& forest, const cv::Mat& image);

// A triangle filter of radius `radius` (weights 1, 2, .., radius + 1, .., 1), separable,
// mirrored at the borders; radius 0 copies.
cv::Mat TriangleSmooth(const cv::Mat& src, int radius);

// Where each feature reads the channel maps, relative to a patch's top-left element in maps
// of `row_stride` floats per row: a pixel feature is regular[first]; a pair feature (index
// >= num_pixel) is similarity[first] - similarity[second].
struct FeatureTable {
  FeatureTable(const ForestGeometry& geometry, int row_stride);
  std::vector<int> first;
  std::vector<int> second;
  int num_pixel = 0;
};

// The two smoothings of the channels the features read.
void ForestFeatureMaps(const cv::Mat& channels, const ForestGeometry& geometry, cv::Mat& regular,
                       cv::Mat& similarity);

}  // namespace msrf::internal
