// Edge linking: a one-pixel-wide edge map becomes a list of pixel chains.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

namespace msrf {

struct EdgeChain {
  // 8-connected pixels in order along the chain. A chain that ends at a junction includes
  // the junction pixel, so chains meeting at a junction share it.
  std::vector<cv::Point> points;
  // True when the chain is a loop (its last pixel touches its first); the first pixel is
  // not repeated at the end.
  bool closed = false;
};

// Links the edge pixels of `edges` (CV_8U, non-zero = edge, thinned) into chains.
// Spurs of one or two pixels (what rasterising leaves at acute corners) are removed first.
// Junctions (pixels where three or more branches meet) split chains; chains are traced
// from junctions first, then from end points, then the remaining loops, each group in
// raster order, so the output is a deterministic function of the map.
std::vector<EdgeChain> LinkEdges(const cv::Mat& edges);

}  // namespace msrf
