#include "msrf/boundaries/boundaries.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "forest_internal.h"
#include "msrf/boundaries/forest.h"
#include "msrf/core/check.h"
#include "msrf/core/parallel.h"

namespace msrf {

const char* BoundaryMethodName(BoundaryMethod method) {
  switch (method) {
    case BoundaryMethod::kForest: return "forest";
    case BoundaryMethod::kGradient: return "gradient";
  }
  return "unknown";
}

Result<BoundaryMethod> ParseBoundaryMethod(const std::string& name) {
  for (BoundaryMethod m : {BoundaryMethod::kForest, BoundaryMethod::kGradient}) {
    if (name == BoundaryMethodName(m)) return m;
  }
  return InvalidArgumentError("unknown boundary method '" + name +
                              "' (expected forest or gradient)");
}

Status BoundaryOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("boundaries.gradient_sigma", gradient_sigma, 0.5, 8.0));
  return CheckList("boundaries.forest_scales", forest_scales, 1, 4, 0.25, 4.0);
}

namespace {

// Rows per task of the per-pixel loops below (each row is independent of the others).
constexpr size_t kRowGrain = 16;

float Bilinear(const cv::Mat& m, float x, float y) {
  x = std::min(std::max(x, 0.0F), static_cast<float>(m.cols - 1));
  y = std::min(std::max(y, 0.0F), static_cast<float>(m.rows - 1));
  const int x0 = std::min(static_cast<int>(x), m.cols - 2 < 0 ? 0 : m.cols - 2);
  const int y0 = std::min(static_cast<int>(y), m.rows - 2 < 0 ? 0 : m.rows - 2);
  const int x1 = std::min(x0 + 1, m.cols - 1), y1 = std::min(y0 + 1, m.rows - 1);
  const float fx = x - static_cast<float>(x0), fy = y - static_cast<float>(y0);
  const float top = m.at<float>(y0, x0) * (1 - fx) + m.at<float>(y0, x1) * fx;
  const float bottom = m.at<float>(y1, x0) * (1 - fx) + m.at<float>(y1, x1) * fx;
  return top * (1 - fy) + bottom * fy;
}

// Central differences, as MATLAB's gradient(): one-sided at the borders.
void CentralGradient(const cv::Mat& src, cv::Mat& dx, cv::Mat& dy) {
  dx.create(src.size(), CV_32F);
  dy.create(src.size(), CV_32F);
  ParallelFor(0, static_cast<size_t>(src.rows), kRowGrain, [&](size_t row_index) {
    const int y = static_cast<int>(row_index);
    const auto* row = src.ptr<float>(y);
    const auto* up = src.ptr<float>(std::max(y - 1, 0));
    const auto* down = src.ptr<float>(std::min(y + 1, src.rows - 1));
    const float ys = (y == 0 || y == src.rows - 1) ? 1.0F : 0.5F;
    auto* gx = dx.ptr<float>(y);
    auto* gy = dy.ptr<float>(y);
    for (int x = 0; x < src.cols; ++x) {
      const int xl = std::max(x - 1, 0), xr = std::min(x + 1, src.cols - 1);
      const float xs = (x == 0 || x == src.cols - 1) ? 1.0F : 0.5F;
      gx[x] = src.cols > 1 ? (row[xr] - row[xl]) * xs : 0.0F;
      gy[x] = src.rows > 1 ? (down[x] - up[x]) * ys : 0.0F;
    }
  });
}

cv::Mat To8BitGray(const cv::Mat& image) {
  cv::Mat eight = image;
  if (image.depth() == CV_16U) image.convertTo(eight, CV_8U, 1.0 / 257.0);
  if (eight.channels() == 1) return eight;
  cv::Mat gray;
  cv::cvtColor(eight, gray, eight.channels() == 4 ? cv::COLOR_BGRA2GRAY : cv::COLOR_BGR2GRAY);
  return gray;
}

BoundaryMap GradientBoundaries(const cv::Mat& image, const BoundaryOptions& options) {
  cv::Mat gray;
  To8BitGray(image).convertTo(gray, CV_32F, 1.0 / 255.0);
  cv::GaussianBlur(gray, gray, cv::Size(), options.gradient_sigma, options.gradient_sigma,
                   cv::BORDER_REPLICATE);
  cv::Mat dx, dy;
  CentralGradient(gray, dx, dy);
  BoundaryMap map;
  cv::magnitude(dx, dy, map.strength);
  map.orientation.create(image.size(), CV_32F);
  for (int y = 0; y < image.rows; ++y) {
    const auto* gx = dx.ptr<float>(y);
    const auto* gy = dy.ptr<float>(y);
    auto* o = map.orientation.ptr<float>(y);
    for (int x = 0; x < image.cols; ++x) {
      float a = std::atan2(gy[x], gx[x]);
      if (a < 0) a += static_cast<float>(CV_PI);
      if (a >= static_cast<float>(CV_PI)) a = 0.0F;
      o[x] = a;
    }
  }
  double max_value = 0.0;
  cv::minMaxLoc(map.strength, nullptr, &max_value);
  if (max_value > 0.0) map.strength /= max_value;
  return map;
}

}  // namespace

cv::Mat SuppressNonMaxima(const cv::Mat& strength, const cv::Mat& orientation) {
  CV_Assert(strength.type() == CV_32F && orientation.type() == CV_32F &&
            strength.size() == orientation.size());
  cv::Mat out = cv::Mat(strength.size(), CV_32F, cv::Scalar(0));
  ParallelFor(0, static_cast<size_t>(strength.rows), kRowGrain, [&](size_t row_index) {
    const int y = static_cast<int>(row_index);
    const auto* s = strength.ptr<float>(y);
    const auto* o = orientation.ptr<float>(y);
    auto* d = out.ptr<float>(y);
    for (int x = 0; x < strength.cols; ++x) {
      const float v = s[x];
      if (v <= 0.0F) continue;
      const float c = std::cos(o[x]), n = std::sin(o[x]);
      const auto fx = static_cast<float>(x), fy = static_cast<float>(y);
      // Ties go to the pixel on the negative side, so that a ridge two pixels wide with equal
      // values keeps one of them.
      if (v >= Bilinear(strength, fx + c, fy + n) && v > Bilinear(strength, fx - c, fy - n)) {
        d[x] = v;
      }
    }
  });
  return out;
}

cv::Mat RidgeOrientation(const cv::Mat& strength) {
  CV_Assert(strength.type() == CV_32F);
  // A triangle filter of radius 4 first, so that the second derivatives see the ridge's
  // profile rather than pixel noise.
  constexpr int kRadius = 4;
  cv::Mat kernel(1, 2 * kRadius + 1, CV_32F);
  for (int i = 0; i <= 2 * kRadius; ++i) {
    kernel.at<float>(0, i) = static_cast<float>(kRadius + 1 - std::abs(i - kRadius)) /
                             static_cast<float>((kRadius + 1) * (kRadius + 1));
  }
  cv::Mat smooth;
  cv::sepFilter2D(strength, smooth, CV_32F, kernel, kernel, cv::Point(-1, -1), 0,
                  cv::BORDER_REFLECT);
  cv::Mat ox, oy, oxx, oxy_unused, oyx, oyy;
  CentralGradient(smooth, ox, oy);
  CentralGradient(ox, oxx, oxy_unused);
  CentralGradient(oy, oyx, oyy);
  cv::Mat orientation(strength.size(), CV_32F);
  ParallelFor(0, static_cast<size_t>(strength.rows), kRowGrain, [&](size_t row_index) {
    const int y = static_cast<int>(row_index);
    const auto* xx = oxx.ptr<float>(y);
    const auto* xy = oyx.ptr<float>(y);
    const auto* yy = oyy.ptr<float>(y);
    auto* o = orientation.ptr<float>(y);
    for (int x = 0; x < strength.cols; ++x) {
      // The eigenvector of the Hessian with the most negative eigenvalue points across the
      // ridge: angle atan(yy * sign(-xy) / xx), folded into [0, pi).
      const float sign = xy[x] > 0 ? -1.0F : 1.0F;
      float a = std::atan(yy[x] * sign / (xx[x] + 1e-5F));
      if (a < 0) a += static_cast<float>(CV_PI);
      if (a >= static_cast<float>(CV_PI)) a = 0.0F;
      o[x] = a;
    }
  });
  return orientation;
}

namespace {

// A scale above 1 enlarges the photo to at most this many pixels (a 12-megapixel photo at
// twice its size would take minutes and gigabytes for detail far below an object's).
constexpr double kMaxEnlargedPixels = 16e6;

// The forest's maps at every scale, resized back to the photo's size and averaged; the
// orientation from the mean map's ridges. The scales run side by side, so that one's serial
// parts (channels, resizing) overlap another's trees; the sum goes in the scales' order.
Result<BoundaryMap> MultiscaleForest(const Forest& forest, const cv::Mat& image,
                                     const std::vector<double>& scales) {
  if (scales.size() == 1 && scales[0] == 1.0) return ForestBoundaries(forest, image);
  const double pixels = static_cast<double>(image.total());
  std::vector<cv::Mat> backs(scales.size());
  std::vector<Status> errors(scales.size());
  // Largest first: its serial parts (the channels) are the longest, and the other sizes keep
  // the other cores busy meanwhile (parallel loops start with their first index).
  std::vector<size_t> order(scales.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scales[a] > scales[b]; });
  ParallelFor(0, scales.size(), [&](size_t k) {
    const size_t i = order[k];
    double scale = scales[i];
    if (scale > 1.0) scale = std::max(1.0, std::min(scale, std::sqrt(kMaxEnlargedPixels / pixels)));
    const cv::Size size(std::max(1, static_cast<int>(std::lround(image.cols * scale))),
                        std::max(1, static_cast<int>(std::lround(image.rows * scale))));
    cv::Mat scaled = image;
    if (size != image.size()) {
      cv::resize(image, scaled, size, 0, 0, scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    }
    Result<cv::Mat> strength = internal::ForestStrength(forest, scaled);
    if (!strength.ok()) {
      errors[i] = strength.status();
      return;
    }
    backs[i] = *strength;
    if (size != image.size()) cv::resize(*strength, backs[i], image.size(), 0, 0, cv::INTER_LINEAR);
  });
  for (const Status& error : errors) MSRF_RETURN_IF_ERROR(error);
  cv::Mat sum = cv::Mat::zeros(image.size(), CV_32F);
  for (const cv::Mat& back : backs) sum += back;
  BoundaryMap map;
  map.strength = sum / static_cast<double>(scales.size());
  map.orientation = RidgeOrientation(map.strength);
  return map;
}

}  // namespace

Result<BoundaryMap> DetectBoundaries(const cv::Mat& image, const BoundaryOptions& options) {
  return DetectBoundaries(image, options, DefaultForest());
}

Result<BoundaryMap> DetectBoundaries(const cv::Mat& image, const BoundaryOptions& options,
                                     const Forest& forest) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (image.empty()) return InvalidArgumentError("the image is empty");
  if ((image.depth() != CV_8U && image.depth() != CV_16U) ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return InvalidArgumentError("the image is not 8- or 16-bit gray, BGR or BGRA");
  }
  BoundaryMap map;
  if (options.method == BoundaryMethod::kGradient) {
    map = GradientBoundaries(image, options);
  } else {
    cv::Mat eight = image;
    if (image.depth() == CV_16U) image.convertTo(eight, CV_8U, 1.0 / 257.0);
    MSRF_ASSIGN_OR_RETURN(map, MultiscaleForest(forest, eight, options.forest_scales));
  }
  if (options.thin) map.strength = SuppressNonMaxima(map.strength, map.orientation);
  return map;
}

}  // namespace msrf
