#include "msrf/pyramid/edge_detector.h"

#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "msrf/core/check.h"

namespace msrf {

const char* EdgeMethodName(EdgeMethod method) {
  switch (method) {
    case EdgeMethod::kForest: return "forest";
    case EdgeMethod::kCanny: return "canny";
    case EdgeMethod::kEdgeDrawing: return "edgedrawing";
    case EdgeMethod::kSupplied: return "supplied";
  }
  return "unknown";
}

Result<EdgeMethod> ParseEdgeMethod(const std::string& name) {
  for (EdgeMethod m :
       {EdgeMethod::kForest, EdgeMethod::kCanny, EdgeMethod::kEdgeDrawing, EdgeMethod::kSupplied}) {
    if (name == EdgeMethodName(m)) return m;
  }
  return InvalidArgumentError("unknown edge method '" + name +
                              "' (expected forest, canny, edgedrawing or supplied)");
}

bool UsesStrengthMap(EdgeMethod method) {
  return method == EdgeMethod::kSupplied || method == EdgeMethod::kForest;
}

Status EdgeOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("edges.canny_non_edge_fraction", canny_non_edge_fraction, 0.0,
                                  1.0, Bound::kOpen, Bound::kOpen));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.canny_low_ratio", canny_low_ratio, 0.0, 1.0, Bound::kOpen, Bound::kOpen));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.canny_high_threshold", canny_high_threshold, 0.0, kNoLimit));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.edge_drawing_gradient_threshold", edge_drawing_gradient_threshold, 1, 255));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.edge_drawing_min_path_length", edge_drawing_min_path_length, 2, 1000));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.supplied_high", supplied_high, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("edges.supplied_low (at most edges.supplied_high)", supplied_low,
                                  0.0, supplied_high, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(
      CheckRange("edges.forest_high", forest_high, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("edges.forest_low (at most edges.forest_high)", forest_low, 0.0,
                                  forest_high, Bound::kOpen, Bound::kClosed));
  return CheckForestScales("edges.forest_scales", forest_scales);
}

Status CheckForestScales(std::string_view name, const std::vector<double>& scales) {
  // The bounds of BoundaryOptions::forest_scales.
  return CheckList(name, scales, 1, 4, 0.25, 4.0);
}

cv::Mat ThinEdges(const cv::Mat& binary) {
  // Zhang-Suen, visiting only foreground pixels: edge maps are sparse and nearly thin
  // already. Pixels are marked in a sub-iteration and deleted after it, as in the original,
  // so the result is the classic one. Whether a pixel is deleted in a sub-iteration depends
  // only on its 8 neighbours, so a pixel found to stay is examined again in that
  // sub-iteration only once a neighbour has been deleted: after the first pass the work is
  // proportional to the deletions, not to the foreground.
  CV_Assert(binary.type() == CV_8UC1);
  const int w = binary.cols + 2, h = binary.rows + 2;
  std::vector<uint8_t> img(static_cast<size_t>(w) * h, 0);
  std::vector<int> foreground;
  for (int y = 0; y < binary.rows; ++y) {
    const auto* row = binary.ptr<uint8_t>(y);
    for (int x = 0; x < binary.cols; ++x) {
      if (row[x] != 0) {
        const int i = (y + 1) * w + x + 1;
        img[static_cast<size_t>(i)] = 1;
        foreground.push_back(i);
      }
    }
  }
  // Neighbours p2..p9: N, NE, E, SE, S, SW, W, NW.
  const int offsets[8] = {-w, -w + 1, 1, w + 1, w, w - 1, -1, -w - 1};
  auto deletable = [&](int i, int sub) {
    const uint8_t* centre = img.data() + i;
    uint8_t p[8];
    int b = 0;
    for (int k = 0; k < 8; ++k) {
      p[k] = centre[offsets[k]];
      b += p[k];
    }
    if (b < 2 || b > 6) return false;
    int a = 0;
    for (int k = 0; k < 8; ++k) a += p[k] == 0 && p[(k + 1) % 8] == 1;
    if (a != 1) return false;
    // p2 = p[0], p4 = p[2], p6 = p[4], p8 = p[6]
    return sub == 0 ? (p[0] * p[2] * p[4] == 0 && p[2] * p[4] * p[6] == 0)
                    : (p[0] * p[2] * p[6] == 0 && p[0] * p[4] * p[6] == 0);
  };
  // check[s]: the pixels sub-iteration s must examine; bit s of queued flags them.
  std::vector<int> check[2] = {foreground, foreground};
  std::vector<uint8_t> queued(img.size(), 0);
  for (int i : foreground) queued[static_cast<size_t>(i)] = 3;
  std::vector<int> marked;
  for (int sub = 0; !check[0].empty() || !check[1].empty(); sub = 1 - sub) {
    marked.clear();
    for (int i : check[sub]) {
      queued[static_cast<size_t>(i)] &= static_cast<uint8_t>(~(1 << sub));
      if (img[static_cast<size_t>(i)] != 0 && deletable(i, sub)) marked.push_back(i);
    }
    check[sub].clear();
    for (int i : marked) img[static_cast<size_t>(i)] = 0;
    for (int i : marked) {
      for (int d : offsets) {
        const int j = i + d;
        const auto n = static_cast<size_t>(j);
        if (img[n] == 0) continue;
        for (int s = 0; s < 2; ++s) {
          if ((queued[n] & (1 << s)) == 0) {
            queued[n] = static_cast<uint8_t>(queued[n] | (1 << s));
            check[s].push_back(j);
          }
        }
      }
    }
  }
  cv::Mat thin = cv::Mat(binary.size(), CV_8U, cv::Scalar(0));
  for (int i : foreground) {
    if (img[static_cast<size_t>(i)] != 0) thin.at<uint8_t>(i / w - 1, i % w - 1) = 255;
  }
  return thin;
}

cv::Mat HysteresisEdges(const cv::Mat& candidates, const cv::Mat& seeds) {
  CV_Assert(candidates.type() == CV_8UC1 && seeds.type() == CV_8UC1 &&
            candidates.size() == seeds.size());
  // A flood fill from the seeds over the candidates, on a map padded by one pixel: it visits
  // only the (few) candidates, where labelling components sweeps the whole image twice.
  enum : uint8_t { kNone = 0, kCandidate = 1, kKept = 2 };
  const int w = candidates.cols + 2;
  std::vector<uint8_t> state(static_cast<size_t>(w) * (candidates.rows + 2), kNone);
  std::vector<int> stack;
  for (int y = 0; y < candidates.rows; ++y) {
    const auto* c = candidates.ptr<uint8_t>(y);
    const auto* s = seeds.ptr<uint8_t>(y);
    uint8_t* row = state.data() + static_cast<size_t>(y + 1) * w + 1;
    for (int x = 0; x < candidates.cols; ++x) {
      if (c[x] == 0) continue;
      row[x] = s[x] != 0 ? kKept : kCandidate;
      if (s[x] != 0) stack.push_back((y + 1) * w + x + 1);
    }
  }
  const int offsets[8] = {-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1};
  while (!stack.empty()) {
    const int i = stack.back();
    stack.pop_back();
    for (int d : offsets) {
      const int j = i + d;
      uint8_t& n = state[static_cast<size_t>(j)];
      if (n == kCandidate) {
        n = kKept;
        stack.push_back(j);
      }
    }
  }
  cv::Mat binary(candidates.size(), CV_8U);
  for (int y = 0; y < binary.rows; ++y) {
    const uint8_t* row = state.data() + static_cast<size_t>(y + 1) * w + 1;
    auto* b = binary.ptr<uint8_t>(y);
    for (int x = 0; x < binary.cols; ++x) b[x] = row[x] == kKept ? 255 : 0;
  }
  return binary;
}

Result<cv::Mat> EdgeStrengthFromMap(const cv::Mat& edge_map) {
  if (edge_map.empty()) return InvalidArgumentError("the edge map is empty");
  cv::Mat gray;
  if (edge_map.channels() == 3) {
    cv::cvtColor(edge_map, gray, cv::COLOR_BGR2GRAY);
  } else if (edge_map.channels() == 4) {
    cv::cvtColor(edge_map, gray, cv::COLOR_BGRA2GRAY);
  } else if (edge_map.channels() == 1) {
    gray = edge_map;
  } else {
    return InvalidArgumentError("the edge map has " + std::to_string(edge_map.channels()) +
                                " channels (expected 1, 3 or 4)");
  }
  cv::Mat strength;
  switch (gray.depth()) {
    case CV_8U: gray.convertTo(strength, CV_32F, 1.0 / 255.0); break;
    case CV_16U: gray.convertTo(strength, CV_32F, 1.0 / 65535.0); break;
    case CV_32F:
    case CV_64F:
      gray.convertTo(strength, CV_32F);
      if (cv::checkRange(strength, true) == false) {
        return InvalidArgumentError("the edge map has NaN or infinite values");
      }
      strength = cv::max(cv::min(strength, 1.0), 0.0);
      break;
    default: return InvalidArgumentError("the edge map has an unsupported pixel depth");
  }
  return strength;
}

namespace {

// The gradient magnitude below which `canny_non_edge_fraction` of the pixels lie (the
// automatic rule of MATLAB's edge()), floored at a tenth of the largest magnitude so that
// flat, noise-free images do not turn every faint ramp into an edge.
double AutomaticHighThreshold(const cv::Mat& dx, const cv::Mat& dy, double non_edge_fraction) {
  // Sobel 3x3 gradients of 8-bit images are at most 4 x 255, so dx^2 + dy^2 < 2^24 is exact
  // in an int and in a float, and the float magnitude sqrt(dx^2 + dy^2) is what
  // cv::magnitude gives for any SIMD width. Two passes over the gradients: the largest
  // squared magnitude, then the histogram. The result is that of float images, magnitude and
  // minMaxLoc, bit for bit (tests/pyramid: CannyHighThreshold).
  constexpr int kBins = 2048;
  std::vector<int> sq(static_cast<size_t>(dx.cols));
  auto squared_row = [&](int y) {
    const auto* gx = dx.ptr<int16_t>(y);
    const auto* gy = dy.ptr<int16_t>(y);
    for (int x = 0; x < dx.cols; ++x) sq[static_cast<size_t>(x)] = gx[x] * gx[x] + gy[x] * gy[x];
  };
  int max_sq = 0;
  for (int y = 0; y < dx.rows; ++y) {
    squared_row(y);
    for (int v : sq) max_sq = std::max(max_sq, v);
  }
  const double max_mag = std::sqrt(static_cast<float>(max_sq));
  if (max_mag <= 0.0) return 1.0;
  std::vector<int64_t> hist(kBins + 1, 0);
  const double to_bin = kBins / max_mag;
  auto bin_of = [&](int v) {
    return static_cast<size_t>(std::sqrt(static_cast<float>(v)) * to_bin);
  };
  // Most pixels lie in flat areas with small gradients: their bins come from a table (no
  // larger than the image, so that small levels do not pay for it).
  const int table_size =
      std::min({max_sq, 1 << 16, static_cast<int>(std::min<size_t>(dx.total(), 1 << 16))}) + 1;
  std::vector<uint16_t> table(static_cast<size_t>(table_size));
  for (int v = 0; v < table_size; ++v)
    table[static_cast<size_t>(v)] = static_cast<uint16_t>(bin_of(v));
  for (int y = 0; y < dx.rows; ++y) {
    squared_row(y);
    for (int v : sq) ++hist[v < table_size ? table[static_cast<size_t>(v)] : bin_of(v)];
  }
  const auto target = static_cast<int64_t>(non_edge_fraction * dx.total());
  int64_t cumulative = 0;
  int bin = 0;
  for (; bin <= kBins; ++bin) {
    cumulative += hist[static_cast<size_t>(bin)];
    if (cumulative > target) break;
  }
  const double quantile = (bin + 1) / to_bin;
  return std::max(quantile, 0.1 * max_mag);
}

void CannyGradients(const cv::Mat& image, cv::Mat& dx, cv::Mat& dy) {
  cv::Sobel(image, dx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REPLICATE);
  cv::Sobel(image, dy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REPLICATE);
}

double HighThreshold(const cv::Mat& dx, const cv::Mat& dy, const EdgeOptions& options) {
  if (options.canny_high_threshold > 0.0) return options.canny_high_threshold;
  return AutomaticHighThreshold(dx, dy, options.canny_non_edge_fraction);
}

// The hysteresis thresholds of a method with a strength map.
double StrengthLow(const EdgeOptions& options) {
  return options.method == EdgeMethod::kForest ? options.forest_low : options.supplied_low;
}
double StrengthHigh(const EdgeOptions& options) {
  return options.method == EdgeMethod::kForest ? options.forest_high : options.supplied_high;
}

cv::Mat SuppliedCandidates(const cv::Mat& strength, const EdgeOptions& options) {
  return strength >= StrengthLow(options);
}

// Compared in double precision, as the float strengths always were.
cv::Mat SuppliedSeeds(const cv::Mat& strength, const EdgeOptions& options) {
  const double high = StrengthHigh(options);
  cv::Mat seeds(strength.size(), CV_8U);
  for (int y = 0; y < strength.rows; ++y) {
    const auto* s = strength.ptr<float>(y);
    auto* out = seeds.ptr<uint8_t>(y);
    for (int x = 0; x < strength.cols; ++x) out[x] = s[x] >= high ? 255 : 0;
  }
  return seeds;
}

class CannyDetector final : public EdgeDetector {
 public:
  explicit CannyDetector(const EdgeOptions& options) : options_(options) {}
  EdgeMethod method() const override { return EdgeMethod::kCanny; }

  Result<cv::Mat> Detect(const ImageLevel& level) const override {
    cv::Mat dx, dy;
    CannyGradients(level.image, dx, dy);
    const double high = HighThreshold(dx, dy, options_);
    cv::Mat edges;
    cv::Canny(dx, dy, edges, options_.canny_low_ratio * high, high, /*L2gradient=*/true);
    return ThinEdges(edges);
  }

 private:
  EdgeOptions options_;
};

class EdgeDrawingDetector final : public EdgeDetector {
 public:
  explicit EdgeDrawingDetector(const EdgeOptions& options) : options_(options) {}
  EdgeMethod method() const override { return EdgeMethod::kEdgeDrawing; }

  Result<cv::Mat> Detect(const ImageLevel& level) const override {
    // EdgeDrawing keeps state between calls: one instance per call keeps Detect thread-safe.
    cv::Ptr<cv::ximgproc::EdgeDrawing> ed = cv::ximgproc::createEdgeDrawing();
    ed->params.GradientThresholdValue = options_.edge_drawing_gradient_threshold;
    ed->params.MinPathLength = options_.edge_drawing_min_path_length;
    ed->params.Sigma = 1.0F;
    ed->detectEdges(level.image);
    cv::Mat edges;
    ed->getEdgeImage(edges);
    if (edges.size() != level.image.size())
      return cv::Mat(level.image.size(), CV_8U, cv::Scalar(0));
    return ThinEdges(edges);
  }

 private:
  EdgeOptions options_;
};

// Hysteresis on the level's strength map: a supplied map's or the forest's.
class StrengthMapEdgeDetector final : public EdgeDetector {
 public:
  explicit StrengthMapEdgeDetector(const EdgeOptions& options) : options_(options) {}
  EdgeMethod method() const override { return options_.method; }

  Result<cv::Mat> Detect(const ImageLevel& level) const override {
    if (level.edge_strength.empty()) {
      return FailedPreconditionError(std::string("the ") + EdgeMethodName(options_.method) +
                                     " edge method needs a strength map");
    }
    if (level.edge_strength.size() != level.image.size()) {
      return FailedPreconditionError("the edge map of level " + std::to_string(level.index) +
                                     " differs in size from its image");
    }
    const cv::Mat binary = HysteresisEdges(SuppliedCandidates(level.edge_strength, options_),
                                           SuppliedSeeds(level.edge_strength, options_));
    return ThinEdges(binary);
  }

 private:
  EdgeOptions options_;
};

}  // namespace

double CannyHighThreshold(const cv::Mat& image, const EdgeOptions& options) {
  if (options.canny_high_threshold > 0.0) return options.canny_high_threshold;
  cv::Mat dx, dy;
  CannyGradients(image, dx, dy);
  return AutomaticHighThreshold(dx, dy, options.canny_non_edge_fraction);
}

int EdgeCandidateReach(EdgeMethod method) {
  switch (method) {
    case EdgeMethod::kCanny: return 2;
    case EdgeMethod::kForest:
    case EdgeMethod::kSupplied: return 0;
    case EdgeMethod::kEdgeDrawing: return -1;
  }
  return -1;
}

Result<EdgeCandidates> DetectEdgeCandidates(const ImageLevel& level, const EdgeOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  EdgeCandidates out;
  switch (options.method) {
    case EdgeMethod::kCanny: {
      if (options.canny_high_threshold <= 0.0) {
        return FailedPreconditionError(
            "edge candidates need edges.canny_high_threshold (see CannyHighThreshold)");
      }
      cv::Mat dx, dy;
      CannyGradients(level.image, dx, dy);
      const double high = options.canny_high_threshold;
      // Canny with both thresholds at the low one keeps every local maximum above it: the
      // candidates. Seeds are the candidates above the high threshold, compared as cv::Canny
      // does with L2 gradients (squared integer magnitudes against the floored squared
      // threshold), so that hysteresis on them gives cv::Canny's edges.
      const double low = options.canny_low_ratio * high;
      cv::Canny(dx, dy, out.candidates, low, low, /*L2gradient=*/true);
      const double clamped = std::min(32767.0, high);
      const int64_t high_sq = static_cast<int64_t>(std::floor(clamped * clamped));
      out.seeds = cv::Mat(out.candidates.size(), CV_8U, cv::Scalar(0));
      for (int y = 0; y < dx.rows; ++y) {
        const auto* gx = dx.ptr<int16_t>(y);
        const auto* gy = dy.ptr<int16_t>(y);
        const auto* c = out.candidates.ptr<uint8_t>(y);
        auto* s = out.seeds.ptr<uint8_t>(y);
        for (int x = 0; x < dx.cols; ++x) {
          const int64_t m = int64_t{gx[x]} * gx[x] + int64_t{gy[x]} * gy[x];
          s[x] = c[x] != 0 && m > high_sq ? 255 : 0;
        }
      }
      return out;
    }
    case EdgeMethod::kForest:
    case EdgeMethod::kSupplied:
      if (level.edge_strength.empty() || level.edge_strength.size() != level.image.size()) {
        return FailedPreconditionError(std::string("the ") + EdgeMethodName(options.method) +
                                       " edge method needs a strength map the size of the "
                                       "level image");
      }
      out.candidates = SuppliedCandidates(level.edge_strength, options);
      out.seeds = SuppliedSeeds(level.edge_strength, options);
      return out;
    case EdgeMethod::kEdgeDrawing: break;
  }
  return InvalidArgumentError(
      "edgedrawing has no pixel-local candidate stage (its edge paths grow across the image)");
}

Result<std::unique_ptr<EdgeDetector>> EdgeDetector::Create(const EdgeOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<EdgeDetector> detector;
  switch (options.method) {
    case EdgeMethod::kCanny: detector = std::make_unique<CannyDetector>(options); break;
    case EdgeMethod::kEdgeDrawing: detector = std::make_unique<EdgeDrawingDetector>(options); break;
    case EdgeMethod::kForest:
    case EdgeMethod::kSupplied:
      detector = std::make_unique<StrengthMapEdgeDetector>(options);
      break;
  }
  return detector;
}

}  // namespace msrf
