#include "msrf/synth/scene.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "msrf/core/random.h"

namespace msrf {

std::vector<cv::Point2d> RegularPolygon(cv::Point2d centre, double radius, int n, double rotation) {
  std::vector<cv::Point2d> pts;
  for (int i = 0; i < n; ++i) {
    const double a = rotation + 2.0 * CV_PI * i / n;
    pts.emplace_back(centre.x + radius * std::cos(a), centre.y + radius * std::sin(a));
  }
  return pts;
}

void DrawPolyline(cv::Mat& image, const std::vector<cv::Point2d>& points, bool closed,
                  double intensity, int thickness) {
  constexpr int kShift = 4;
  std::vector<cv::Point> pts;
  pts.reserve(points.size());
  for (const cv::Point2d& p : points) {
    pts.emplace_back(cvRound(p.x * (1 << kShift)), cvRound(p.y * (1 << kShift)));
  }
  cv::polylines(image, pts, closed, cv::Scalar::all(intensity), thickness, cv::LINE_AA, kShift);
}

namespace {

// A wavy open curve from a random start, heading and length.
std::vector<cv::Point2d> ClutterCurve(Rng& rng, double w, double h) {
  std::vector<cv::Point2d> curve;
  const cv::Point2d start(rng.Uniform(0, w), rng.Uniform(0, h));
  const double heading = rng.Uniform(0, 2 * CV_PI);
  const double length = rng.Uniform(0.15, 0.45) * std::min(w, h);
  const double amplitude = rng.Uniform(2, 14), wavelength = rng.Uniform(30, 120);
  const cv::Point2d dir(std::cos(heading), std::sin(heading)), normal(-dir.y, dir.x);
  for (double t = 0; t <= length; t += 2.0) {
    curve.push_back(start + dir * t + normal * (amplitude * std::sin(2 * CV_PI * t / wavelength)));
  }
  return curve;
}

// Additive noise: the sum of four uniforms, scaled to `sigma` (close to normal, and defined
// bit for bit by the seed).
void AddNoise(cv::Mat& canvas, Rng& rng, double sigma) {
  const double scale = sigma * std::sqrt(3.0);
  for (int y = 0; y < canvas.rows; ++y) {
    auto* row = canvas.ptr<float>(y);
    for (int x = 0; x < canvas.cols; ++x) {
      double n = 0;
      for (int k = 0; k < 4; ++k) n += rng.Uniform(-1, 1);
      row[x] += static_cast<float>(0.5 * n * scale);
    }
  }
}

cv::Mat Ramp(cv::Size size, Rng& rng) {
  cv::Mat canvas(size, CV_32F);
  const double gx = rng.Uniform(-20, 20) / size.width, gy = rng.Uniform(-20, 20) / size.height;
  for (int y = 0; y < canvas.rows; ++y) {
    auto* row = canvas.ptr<float>(y);
    for (int x = 0; x < canvas.cols; ++x) row[x] = static_cast<float>(60 + gx * x + gy * y);
  }
  return canvas;
}

}  // namespace

TargetScene DrawTargetScene(const std::vector<cv::Point2d>& shape,
                            const TargetSceneOptions& options) {
  Rng rng(DeriveSeed(options.seed, 0x7A26E7));
  TargetScene scene;
  const double w = options.size.width, h = options.size.height;
  cv::Mat canvas = Ramp(options.size, rng);

  for (int i = 0; i < options.num_clutter_curves; ++i) {
    DrawPolyline(canvas, ClutterCurve(rng, w, h), false, rng.Uniform(130, 210), options.thickness);
  }
  for (int i = 0; i < options.num_distractors; ++i) {
    const double radius = rng.Uniform(0.05, 0.12) * std::min(w, h);
    const cv::Point2d centre(rng.Uniform(radius, w - radius), rng.Uniform(radius, h - radius));
    const int sides = rng.UniformInt(3, 7);
    DrawPolyline(canvas, RegularPolygon(centre, radius, sides, rng.Uniform(0, CV_PI)), true,
                 rng.Uniform(130, 210), options.thickness);
  }

  // The target: centred, scaled, turned, placed wholly inside the frame.
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const cv::Point2d& p : shape) {
    x0 = std::min(x0, p.x);
    y0 = std::min(y0, p.y);
    x1 = std::max(x1, p.x);
    y1 = std::max(y1, p.y);
  }
  const cv::Point2d mid((x0 + x1) / 2, (y0 + y1) / 2);
  scene.scale = std::exp(rng.Uniform(std::log(options.min_scale), std::log(options.max_scale)));
  const double size = options.base_size * scene.scale;
  const double k = size / std::max(x1 - x0, y1 - y0);
  const double angle = rng.Uniform(-1, 1) * options.max_rotation_deg * CV_PI / 180.0;
  const double c = std::cos(angle), s = std::sin(angle);
  std::vector<cv::Point2d> local;
  double lx0 = 1e300, ly0 = 1e300, lx1 = -1e300, ly1 = -1e300;
  for (const cv::Point2d& p : shape) {
    const cv::Point2d q = (p - mid) * k;
    local.emplace_back(c * q.x - s * q.y, s * q.x + c * q.y);
    lx0 = std::min(lx0, local.back().x);
    ly0 = std::min(ly0, local.back().y);
    lx1 = std::max(lx1, local.back().x);
    ly1 = std::max(ly1, local.back().y);
  }
  const cv::Point2d at(rng.Uniform(-lx0 + 2, std::max(-lx0 + 2, w - lx1 - 2)),
                       rng.Uniform(-ly0 + 2, std::max(-ly0 + 2, h - ly1 - 2)));
  for (const cv::Point2d& p : local) scene.outline.push_back(p + at);

  if (options.draw_target) {
    scene.box = cv::Rect2d(lx0 + at.x, ly0 + at.y, lx1 - lx0, ly1 - ly0);
    // Dense outline, then gaps cut out of it.
    std::vector<cv::Point2d> dense;
    const size_t n = scene.outline.size();
    for (size_t i = 0; i < n; ++i) {
      const cv::Point2d a = scene.outline[i], b = scene.outline[(i + 1) % n];
      const int steps = std::max(1, static_cast<int>(cv::norm(b - a) / 1.0));
      for (int t = 0; t < steps; ++t)
        dense.push_back(a + (b - a) * (static_cast<double>(t) / steps));
    }
    std::vector<uint8_t> keep(dense.size(), 1);
    const auto gap =
        static_cast<size_t>(options.break_fraction * static_cast<double>(dense.size()));
    for (int b = 0; b < options.num_breaks && gap > 0; ++b) {
      const size_t start = rng.Below(dense.size());
      for (size_t t = 0; t < gap; ++t) keep[(start + t) % dense.size()] = 0;
    }
    const double intensity = rng.Uniform(190, 240);
    std::vector<cv::Point2d> run;
    auto flush = [&] {
      if (run.size() > 1) DrawPolyline(canvas, run, false, intensity, options.thickness);
      run.clear();
    };
    // Start the walk at a gap (if any) so that no run wraps around the start.
    size_t first = 0;
    while (first < dense.size() && keep[first]) ++first;
    if (first == dense.size()) first = 0;
    for (size_t t = 0; t <= dense.size(); ++t) {
      const size_t i = (first + t) % dense.size();
      if (keep[i]) {
        run.push_back(dense[i]);
      } else {
        flush();
      }
    }
    flush();
    // Occluder: a blob of background-like grey over part of the target.
    if (options.occlusion > 0) {
      const double area = options.occlusion * scene.box.area();
      const double radius = std::sqrt(area / CV_PI);
      const size_t on = rng.Below(scene.outline.size());
      cv::circle(canvas, cv::Point(cvRound(scene.outline[on].x), cvRound(scene.outline[on].y)),
                 cvRound(radius), cv::Scalar::all(rng.Uniform(50, 80)), cv::FILLED, cv::LINE_AA);
    }
  }
  AddNoise(canvas, rng, options.noise_sigma);
  canvas.convertTo(scene.image, CV_8U);
  return scene;
}

SyntheticScene DrawClutterScene(const ClutterSceneOptions& options) {
  Rng rng(DeriveSeed(options.seed, 0x5CE4E));
  SyntheticScene scene;
  const double w = options.size.width, h = options.size.height;

  // A smooth background ramp, so that edges are not trivially the only non-flat pixels.
  cv::Mat canvas = Ramp(options.size, rng);
  for (int i = 0; i < options.num_clutter_curves; ++i) {
    DrawPolyline(canvas, ClutterCurve(rng, w, h), false, rng.Uniform(130, 200), options.thickness);
  }

  for (int i = 0; i < options.num_shapes; ++i) {
    const double radius = rng.Uniform(0.06, 0.16) * std::min(w, h);
    const cv::Point2d centre(rng.Uniform(radius, w - radius), rng.Uniform(radius, h - radius));
    const int kind = rng.UniformInt(0, 4);  // 0..3 polygons with 3..6 sides, 4 ellipse
    std::vector<cv::Point2d> outline;
    if (kind < 4) {
      outline = RegularPolygon(centre, radius, kind + 3, rng.Uniform(0, CV_PI));
    } else {
      const double ratio = rng.Uniform(0.5, 0.9), tilt = rng.Uniform(0, CV_PI);
      for (int k = 0; k < 90; ++k) {
        const double a = 2 * CV_PI * k / 90;
        const cv::Point2d local(radius * std::cos(a), radius * ratio * std::sin(a));
        outline.emplace_back(centre.x + local.x * std::cos(tilt) - local.y * std::sin(tilt),
                             centre.y + local.x * std::sin(tilt) + local.y * std::cos(tilt));
      }
    }
    // Silhouettes, filled: one step edge along the outline, as a camera sees an object.
    constexpr int kShift = 4;
    std::vector<cv::Point> pts;
    pts.reserve(outline.size());
    for (const cv::Point2d& p : outline) {
      pts.emplace_back(cvRound(p.x * (1 << kShift)), cvRound(p.y * (1 << kShift)));
    }
    cv::fillPoly(canvas, std::vector<std::vector<cv::Point>>{pts},
                 cv::Scalar::all(rng.Uniform(150, 230)), cv::LINE_AA, kShift);
    scene.shapes.push_back(std::move(outline));
  }

  AddNoise(canvas, rng, options.noise_sigma);
  canvas.convertTo(scene.image, CV_8U);
  return scene;
}

}  // namespace msrf
