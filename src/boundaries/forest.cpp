#include "msrf/boundaries/forest.h"

namespace msrf {

const Forest& DefaultForest() {
  static const Forest forest;
  return forest;
}

Result<BoundaryMap> ForestBoundaries(const Forest& forest, const cv::Mat& image) {
  if (forest.trees.empty()) return FailedPreconditionError("the boundary forest has no trees");
  (void)image;
  return FailedPreconditionError("the boundary forest has no trees");
}

}  // namespace msrf
