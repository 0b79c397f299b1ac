#include "msrf/io/overlay.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <array>
#include <cstdio>

namespace msrf {

cv::Scalar LevelColour(int level) {
  static const std::array<cv::Scalar, 6> kPalette = {
      cv::Scalar(60, 60, 255),   // red
      cv::Scalar(60, 210, 60),   // green
      cv::Scalar(255, 150, 40),  // blue
      cv::Scalar(0, 200, 255),   // amber
      cv::Scalar(255, 60, 255),  // magenta
      cv::Scalar(255, 255, 60),  // cyan
  };
  return kPalette[static_cast<size_t>(level) % kPalette.size()];
}

namespace {

std::vector<cv::Point> ToRender(const std::vector<cv::Point2f>& pts, double s) {
  std::vector<cv::Point> out;
  out.reserve(pts.size());
  constexpr int kShift = 3;  // sub-pixel drawing
  for (const cv::Point2f& p : pts) {
    out.emplace_back(cvRound((p.x + 0.5) * s * (1 << kShift)),
                     cvRound((p.y + 0.5) * s * (1 << kShift)));
  }
  return out;
}

cv::Point2f Midpoint(const Fragment& f) {
  return f.resampled.empty() ? cv::Point2f() : f.resampled[f.resampled.size() / 2];
}

cv::Point2f NearestPoint(const Fragment& f, cv::Point2f p) {
  cv::Point2f best = Midpoint(f);
  double best_d = 1e300;
  for (const cv::Point2f& q : f.resampled) {
    const double d = cv::norm(q - p);
    if (d < best_d) {
      best_d = d;
      best = q;
    }
  }
  return best;
}

}  // namespace

double OverlayScale(const cv::Mat& image) {
  return std::max(image.cols, image.rows) < 700 ? 2.0 : 1.0;
}

cv::Mat DimmedCanvas(const cv::Mat& image, double brightness) {
  const double s = OverlayScale(image);
  cv::Mat canvas;
  cv::resize(ToGray(image), canvas, cv::Size(), s, s, cv::INTER_LINEAR);
  canvas.convertTo(canvas, CV_8U, brightness);
  cv::cvtColor(canvas, canvas, cv::COLOR_GRAY2BGR);
  return canvas;
}

cv::Mat DrawFragmentsOverlay(const cv::Mat& image, const MultiscaleFragments& fragments) {
  const double s = OverlayScale(image);
  cv::Mat canvas = DimmedCanvas(image, 0.45);

  constexpr int kShift = 3;
  const int num_levels = static_cast<int>(fragments.levels.size());
  // Coarse levels first and wider, so the finer ones on top stay visible.
  for (int level = num_levels - 1; level >= 0; --level) {
    const int thickness = 1 + level / 2;
    for (const Fragment& f : fragments.fragments) {
      if (f.level != level) continue;
      const std::vector<cv::Point> pts = ToRender(f.points, s);
      cv::polylines(canvas, pts, false, LevelColour(level), thickness, cv::LINE_AA, kShift);
      // Fragment ends, so that where a contour is cut shows.
      for (const cv::Point& end : {pts.front(), pts.back()}) {
        cv::circle(canvas, end, (thickness + 1) << kShift, LevelColour(level), cv::FILLED,
                   cv::LINE_AA, kShift);
      }
    }
  }
  // A link joins the child's midpoint to the nearest point of its parent: short ticks
  // across the contour where the levels agree.
  for (const Fragment& f : fragments.fragments) {
    if (f.parent < 0) continue;
    const Fragment& p = fragments.fragments[static_cast<size_t>(f.parent)];
    const cv::Point2f mid = Midpoint(f);
    const std::vector<cv::Point> ends = ToRender({mid, NearestPoint(p, mid)}, s);
    cv::line(canvas, ends[0], ends[1], cv::Scalar(255, 255, 255), 1, cv::LINE_AA, kShift);
    cv::circle(canvas, ends[0], 2 << kShift, cv::Scalar(255, 255, 255), cv::FILLED, cv::LINE_AA,
               kShift);
  }

  // Legend on a dark box: one swatch per level, and what the white lines are.
  const int legend_h = 16 * (static_cast<int>(fragments.levels.size()) + 1) + 8;
  cv::Mat box = canvas(cv::Rect(0, 0, std::min(canvas.cols, 250), std::min(canvas.rows, legend_h)));
  box *= 0.3;
  int y = 16;
  for (const LevelSummary& l : fragments.levels) {
    char text[96];
    std::snprintf(text, sizeof(text), "level %d  x%.2f  %d fragments", l.index, l.scale,
                  l.fragments);
    cv::rectangle(canvas, cv::Rect(8, y - 10, 18, 10), LevelColour(l.index), cv::FILLED);
    cv::putText(canvas, text, cv::Point(32, y), cv::FONT_HERSHEY_SIMPLEX, 0.42,
                cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
    y += 16;
  }
  cv::line(canvas, cv::Point(8, y - 5), cv::Point(26, y - 5), cv::Scalar(255, 255, 255), 1);
  cv::putText(canvas, "tree link (child -> parent)", cv::Point(32, y), cv::FONT_HERSHEY_SIMPLEX,
              0.42, cv::Scalar(255, 255, 255), 1, cv::LINE_AA);
  return canvas;
}

Result<std::string> EncodePng(const cv::Mat& image) {
  std::vector<uchar> buffer;
  try {
    if (!cv::imencode(".png", image, buffer)) return InternalError("PNG encoding failed");
  } catch (const cv::Exception& e) {
    return InternalError(std::string("PNG encoding failed: ") + e.what());
  }
  return std::string(buffer.begin(), buffer.end());
}

}  // namespace msrf
