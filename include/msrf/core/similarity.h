// The similarity transform that places a model in an image.
#pragma once

#include <opencv2/core.hpp>

#include <cmath>

namespace msrf {

// p -> scale * R(angle) * p + translation.
struct Similarity {
  double scale = 1.0;
  double angle = 0.0;  // radians; positive turns clockwise on screen (y points down)
  cv::Point2d translation;

  cv::Point2d Apply(cv::Point2d p) const {
    const double c = std::cos(angle), s = std::sin(angle);
    return {scale * (c * p.x - s * p.y) + translation.x,
            scale * (s * p.x + c * p.y) + translation.y};
  }
};

}  // namespace msrf
