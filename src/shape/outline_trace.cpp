#include "msrf/shape/outline_trace.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "polygon_geometry.h"

namespace msrf {
namespace {

double AbsArea(const std::vector<cv::Point2d>& p) { return std::abs(internal::SignedArea(p)); }

// Edge ids of the pixel grid: horizontal edge (x, y)-(x + 1, y) is y * w + x, vertical edge
// (x, y)-(x, y + 1) is w * h + y * w + x.
struct Grid {
  int64_t w = 0;
  int64_t h = 0;
  int64_t Horizontal(int64_t x, int64_t y) const { return y * w + x; }
  int64_t Vertical(int64_t x, int64_t y) const { return w * h + y * w + x; }
};

// The traced outline is smoothed along its length by a Gaussian of this many times the blur's
// sigma: 3 pixels takes out the staircase of a binary mask's rows and columns (it turns
// a model contour at 2.5 pixel steps by +-15 degrees unsmoothed, +-2.5 smoothed) and rounds
// corners over about as much.
constexpr double kArcSigmaFactor = 3.0;

// The closed polyline `p` resampled every `step` of arc length (about: a whole number of
// steps fit the perimeter) and smoothed by a Gaussian of `sigma` along its arc length,
// without shrinking it.
std::vector<cv::Point2d> SmoothAlongArcLength(const std::vector<cv::Point2d>& p, double step,
                                              double sigma) {
  const std::vector<double> cumulative = internal::ClosedArcLengths(p);
  const double perimeter = cumulative.back();
  const int n = std::max(8, static_cast<int>(std::lround(perimeter / step)));
  const std::vector<cv::Point2d> even = internal::ResampleClosed(p, cumulative, n);
  const double h = perimeter / n;
  const int half = std::min(static_cast<int>(std::ceil(3.0 * sigma / h)), (n - 1) / 2);
  std::vector<double> weight(static_cast<size_t>(half) + 1);
  double total = 0.0;
  for (int k = 0; k <= half; ++k) {
    weight[static_cast<size_t>(k)] = std::exp(-0.5 * (k * h / sigma) * (k * h / sigma));
    total += (k == 0 ? 1.0 : 2.0) * weight[static_cast<size_t>(k)];
  }
  auto smooth = [&](const std::vector<cv::Point2d>& in) {
    std::vector<cv::Point2d> out(in.size());
    for (int i = 0; i < n; ++i) {
      cv::Point2d sum = weight[0] * in[static_cast<size_t>(i)];
      for (int k = 1; k <= half; ++k) {
        sum += weight[static_cast<size_t>(k)] *
               (in[static_cast<size_t>((i + k) % n)] + in[static_cast<size_t>((i - k + n) % n)]);
      }
      out[static_cast<size_t>(i)] = sum / total;
    }
    return out;
  };
  // Smoothing pulls a curve towards its centres of curvature (by about curvature x sigma^2 /
  // 2); smoothing once more measures that pull, which is then undone (Lowe, 1988).
  const std::vector<cv::Point2d> once = smooth(even);
  const std::vector<cv::Point2d> twice = smooth(once);
  std::vector<cv::Point2d> out(once.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = 2.0 * once[i] - twice[i];
  return out;
}

}  // namespace

std::vector<std::vector<cv::Point2d>> TraceIsoContours(const cv::Mat& field, float level) {
  CV_Assert(field.type() == CV_32FC1);
  const Grid g{field.cols, field.rows};
  const int w = field.cols, h = field.rows;
  // A value exactly at the level would put crossings of two edges on one node; read just
  // below it, every crossing lies strictly inside its edge.
  const float nudge = 1e-6F * std::max(1.0F, std::abs(level));
  auto value = [&](int x, int y) {
    const float v = field.at<float>(y, x);
    return std::abs(v - level) < nudge ? level - nudge : v;
  };
  auto in = [&](int x, int y) { return value(x, y) > level; };

  // Crossing points (one per crossed edge, found by edge id) and the successor of each
  // along its contour: memory in proportion to the contours' length, not the image's area.
  std::unordered_map<int64_t, int> index;
  std::vector<cv::Point2d> point;
  std::vector<int> next;
  auto cross = [&](int64_t id, int x0, int y0, int x1, int y1) {
    const auto [it, added] = index.emplace(id, static_cast<int>(point.size()));
    if (added) {
      const double v0 = value(x0, y0), v1 = value(x1, y1);
      const double t = (level - v0) / (v1 - v0);
      point.emplace_back(x0 + t * (x1 - x0), y0 + t * (y1 - y0));
      next.push_back(-1);
    }
    return it->second;
  };
  for (int y = 0; y + 1 < h; ++y) {
    for (int x = 0; x + 1 < w; ++x) {
      // Corners clockwise on screen: a top-left, b top-right, c bottom-right, d bottom-left;
      // cell edges traversed the same way. A contour leaves an edge crossed from inside to
      // outside for one crossed from outside to inside, which keeps the inside on its right.
      const bool a = in(x, y), b = in(x + 1, y), c = in(x + 1, y + 1), d = in(x, y + 1);
      if (a == b && b == c && c == d) continue;
      const int top = a != b ? cross(g.Horizontal(x, y), x, y, x + 1, y) : -1;
      const int right = b != c ? cross(g.Vertical(x + 1, y), x + 1, y, x + 1, y + 1) : -1;
      const int bottom = c != d ? cross(g.Horizontal(x, y + 1), x, y + 1, x + 1, y + 1) : -1;
      const int left = d != a ? cross(g.Vertical(x, y), x, y, x, y + 1) : -1;
      // In-to-out crossings (clockwise order) and out-to-in crossings.
      int outs[2], ins[2], n_out = 0, n_in = 0;
      if (a && !b) outs[n_out++] = top;
      if (!a && b) ins[n_in++] = top;
      if (b && !c) outs[n_out++] = right;
      if (!b && c) ins[n_in++] = right;
      if (c && !d) outs[n_out++] = bottom;
      if (!c && d) ins[n_in++] = bottom;
      if (d && !a) outs[n_out++] = left;
      if (!d && a) ins[n_in++] = left;
      if (n_out == 1) {
        next[static_cast<size_t>(outs[0])] = ins[0];
      } else if (n_out == 2) {
        // A saddle: a and c inside (outs top, bottom; ins right, left) or b and d (outs
        // right, left; ins top, bottom). Joined through the centre, each contour cuts off an
        // outside corner; separated, each cuts off an inside corner.
        const double centre =
            0.25 * (value(x, y) + value(x + 1, y) + value(x + 1, y + 1) + value(x, y + 1));
        const bool joined = centre > level;
        // outs[0] precedes ins[0] clockwise when a is inside; pair a crossing with the next
        // one clockwise (joined) or the one before it (separated).
        const auto first = static_cast<size_t>(outs[0]), second = static_cast<size_t>(outs[1]);
        if (a) {  // outs = {top, bottom}, ins = {right, left}
          next[first] = joined ? ins[0] : ins[1];
          next[second] = joined ? ins[1] : ins[0];
        } else {  // outs = {right, left}, ins = {top, bottom}
          next[first] = joined ? ins[1] : ins[0];
          next[second] = joined ? ins[0] : ins[1];
        }
      }
    }
  }

  std::vector<std::vector<cv::Point2d>> contours;
  std::vector<uint8_t> used(point.size(), 0);
  for (size_t start = 0; start < point.size(); ++start) {
    if (next[start] < 0 || used[start]) continue;
    std::vector<cv::Point2d> loop;
    for (int e = static_cast<int>(start); e >= 0 && !used[static_cast<size_t>(e)];
         e = next[static_cast<size_t>(e)]) {
      used[static_cast<size_t>(e)] = 1;
      loop.push_back(point[static_cast<size_t>(e)]);
    }
    if (loop.size() >= 3) contours.push_back(std::move(loop));
  }
  return contours;
}

Result<std::vector<cv::Point2d>> TraceMaskOutline(const cv::Mat& mask, double sigma) {
  if (mask.empty()) return InvalidArgumentError("the mask is empty");
  cv::Mat gray = mask;
  if (gray.channels() != 1) cv::extractChannel(mask, gray, 0);
  cv::Mat f;
  gray.convertTo(f, CV_32F);
  double lo = 0.0, hi = 0.0;
  cv::minMaxLoc(f, &lo, &hi);
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    return InvalidArgumentError("the mask holds a non-finite value");
  }
  if (!(hi > 0.0)) return InvalidArgumentError("the mask is all black: it holds no shape");
  f = cv::max(f, 0.0) / hi;
  // A zero margin wide enough for the blur: a shape cut off by the frame is closed just
  // outside it.
  const int pad = static_cast<int>(std::ceil(3.0 * sigma)) + 2;
  cv::copyMakeBorder(f, f, pad, pad, pad, pad, cv::BORDER_CONSTANT, cv::Scalar(0));
  const cv::Mat binary = f > 0.5F;
  cv::GaussianBlur(f, f, cv::Size(), sigma, sigma, cv::BORDER_CONSTANT);

  // Regions are counted on the mask and its blur together: a part joined to the shape in
  // either is part of it, so a one-pixel line stays attached, and a one-pixel crack that
  // JPEG leaves across a thin leg does not split the shape.
  const cv::Mat joined = binary | (f > 0.5F);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8, CV_32S);
  int largest = 0;
  std::vector<int> areas;
  for (int i = 1; i < n; ++i) {
    areas.push_back(stats.at<int>(i, cv::CC_STAT_AREA));
    if (largest == 0 || areas.back() > stats.at<int>(largest, cv::CC_STAT_AREA)) largest = i;
  }
  std::sort(areas.rbegin(), areas.rend());
  if (areas.empty() || areas[0] < 16) {
    return InvalidArgumentError("the shape encloses too small an area (" +
                                std::to_string(areas.empty() ? 0 : areas[0]) + " pixels)");
  }
  const auto shapes = std::count_if(areas.begin(), areas.end(),
                                    [&](int a) { return a >= kMaskSpeckFraction * areas[0]; });
  if (shapes > 1) {
    return InvalidArgumentError("the mask holds " + std::to_string(shapes) +
                                " separate shapes (the two largest " + std::to_string(areas[0]) +
                                " and " + std::to_string(areas[1]) +
                                " pixels); a model is one connected shape: join them or erase all "
                                "but one");
  }
  // The shape's own pixels stay inside where the blur dims them to one half or less (parts
  // about a pixel wide, the tips of sharp corners): raised to 1, a one-pixel line becomes a
  // band about 1.3 pixels wide, and pixels that touch only at a corner (a diagonal line) stay
  // joined through their cell. Pixels the blur leaves above one half keep their values, and
  // the edge its place.
  f.setTo(1.0F, (labels == largest) & binary & (f <= 0.5F));

  // The largest contour is the outer outline of the largest region: holes and specks are
  // contours of their own, inside it or apart from it.
  std::vector<std::vector<cv::Point2d>> contours = TraceIsoContours(f, 0.5F);
  if (contours.empty()) return InvalidArgumentError("the mask holds no shape");
  size_t best = 0;
  double best_area = -1.0;
  for (size_t i = 0; i < contours.size(); ++i) {
    const double a = AbsArea(contours[i]);
    if (a > best_area) {
      best_area = a;
      best = i;
    }
  }
  std::vector<cv::Point2d> outline = std::move(contours[best]);
  for (cv::Point2d& p : outline) p -= cv::Point2d(pad, pad);
  // The traced contour still follows the pixel staircase of a binary mask by up to half a
  // pixel; smoothing along its length, where a staircase's steps repeat every few pixels,
  // removes it.
  return SmoothAlongArcLength(outline, 0.25, kArcSigmaFactor * sigma);
}

}  // namespace msrf
