#include "msrf/pyramid/pyramid.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "msrf/core/check.h"

namespace msrf {

Status PyramidOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(
      CheckRange("pyramid.scale_factor", scale_factor, 1.0, 4.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("pyramid.num_levels", num_levels, 1, 16));
  MSRF_RETURN_IF_ERROR(CheckRange("pyramid.min_size", min_size, 8, 4096));
  return CheckRange("pyramid.sigma", sigma, 0.0, 5.0);
}

namespace {

cv::Size LevelSize(cv::Size base, double scale) {
  return {std::max(1, static_cast<int>(std::lround(base.width * scale))),
          std::max(1, static_cast<int>(std::lround(base.height * scale)))};
}

// Downsizes a strength map keeping, for every target pixel, the strongest source pixel of its
// footprint. Averaging would dim a one-pixel-wide edge by the scale factor at every level;
// the maximum keeps its strength, so one threshold serves every level.
cv::Mat MaxPoolResize(const cv::Mat& src, cv::Size dst_size) {
  cv::Mat dst(dst_size, CV_32F);
  const double fx = static_cast<double>(src.cols) / dst_size.width;
  const double fy = static_cast<double>(src.rows) / dst_size.height;
  std::vector<int> x0(dst_size.width), x1(dst_size.width);
  for (int x = 0; x < dst_size.width; ++x) {
    x0[x] = std::min(src.cols - 1, static_cast<int>(std::floor(x * fx)));
    x1[x] = std::max(x0[x] + 1, std::min(src.cols, static_cast<int>(std::ceil((x + 1) * fx))));
  }
  for (int y = 0; y < dst_size.height; ++y) {
    const int y0 = std::min(src.rows - 1, static_cast<int>(std::floor(y * fy)));
    const int y1 = std::max(y0 + 1, std::min(src.rows, static_cast<int>(std::ceil((y + 1) * fy))));
    auto* out = dst.ptr<float>(y);
    for (int x = 0; x < dst_size.width; ++x) {
      float m = 0.0F;
      for (int sy = y0; sy < y1; ++sy) {
        const auto* row = src.ptr<float>(sy);
        for (int sx = x0[x]; sx < x1[x]; ++sx) m = std::max(m, row[sx]);
      }
      out[x] = m;
    }
  }
  return dst;
}

}  // namespace

cv::Mat ToGray(const cv::Mat& image) {
  if (image.channels() == 1) return image;
  cv::Mat gray;
  cv::cvtColor(image, gray, image.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

std::vector<double> PyramidScales(cv::Size size, const PyramidOptions& options) {
  std::vector<double> scales;
  for (int l = 0; l < options.num_levels; ++l) {
    const double scale = std::pow(options.scale_factor, -l);
    const cv::Size s = LevelSize(size, scale);
    if (l > 0 && std::min(s.width, s.height) < options.min_size) break;
    scales.push_back(scale);
  }
  return scales;
}

ImageLevel BuildImageLevel(const cv::Mat& image, const cv::Mat& edge_strength, int index,
                           double scale, const PyramidOptions& options) {
  ImageLevel level;
  level.index = index;
  level.scale = scale;
  level.base_size = image.size();

  const cv::Mat gray = ToGray(image);

  cv::Mat resized;
  if (index == 0) {
    resized = gray;
  } else {
    // Anti-alias to the blur a level of this size would have had if imaged directly
    // (0.5 px at every level), then average-pool.
    const double f = 1.0 / scale;
    const double sigma_aa = 0.5 * std::sqrt(f * f - 1.0);
    cv::Mat blurred;
    cv::GaussianBlur(gray, blurred, cv::Size(), sigma_aa, sigma_aa, cv::BORDER_REFLECT101);
    cv::resize(blurred, resized, LevelSize(image.size(), scale), 0, 0, cv::INTER_AREA);
  }
  if (options.sigma > 0.0) {
    cv::GaussianBlur(resized, level.image, cv::Size(), options.sigma, options.sigma,
                     cv::BORDER_REFLECT101);
  } else {
    level.image = resized.clone();
  }

  if (!edge_strength.empty()) {
    level.edge_strength =
        index == 0 ? edge_strength.clone() : MaxPoolResize(edge_strength, level.image.size());
  }
  return level;
}

}  // namespace msrf
