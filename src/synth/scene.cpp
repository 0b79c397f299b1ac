#include "msrf/synth/scene.h"

#include <opencv2/imgproc.hpp>

#include <cmath>

#include "msrf/core/random.h"

namespace msrf {

std::vector<cv::Point2d> RegularPolygon(cv::Point2d centre, double radius, int n,
                                        double rotation) {
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

SyntheticScene DrawClutterScene(const ClutterSceneOptions& options) {
  Rng rng(DeriveSeed(options.seed, 0x5CE4E));
  SyntheticScene scene;
  const double w = options.size.width, h = options.size.height;

  // A smooth background ramp, so that edges are not trivially the only non-flat pixels.
  cv::Mat canvas(options.size, CV_32F);
  const double gx = rng.Uniform(-20, 20) / w, gy = rng.Uniform(-20, 20) / h;
  for (int y = 0; y < canvas.rows; ++y) {
    auto* row = canvas.ptr<float>(y);
    for (int x = 0; x < canvas.cols; ++x) row[x] = static_cast<float>(60 + gx * x + gy * y);
  }

  for (int i = 0; i < options.num_clutter_curves; ++i) {
    std::vector<cv::Point2d> curve;
    const cv::Point2d start(rng.Uniform(0, w), rng.Uniform(0, h));
    const double heading = rng.Uniform(0, 2 * CV_PI);
    const double length = rng.Uniform(0.15, 0.45) * std::min(w, h);
    const double amplitude = rng.Uniform(2, 14), wavelength = rng.Uniform(30, 120);
    const cv::Point2d dir(std::cos(heading), std::sin(heading)), normal(-dir.y, dir.x);
    for (double t = 0; t <= length; t += 2.0) {
      curve.push_back(start + dir * t + normal * (amplitude * std::sin(2 * CV_PI * t / wavelength)));
    }
    DrawPolyline(canvas, curve, false, rng.Uniform(130, 200), options.thickness);
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
    for (const cv::Point2d& p : outline) {
      pts.emplace_back(cvRound(p.x * (1 << kShift)), cvRound(p.y * (1 << kShift)));
    }
    cv::fillPoly(canvas, std::vector<std::vector<cv::Point>>{pts},
                 cv::Scalar::all(rng.Uniform(150, 230)), cv::LINE_AA, kShift);
    scene.shapes.push_back(std::move(outline));
  }

  // Additive noise: the sum of four uniforms, scaled to the requested sigma (close to normal
  // and defined bit for bit by the seed).
  const double scale = options.noise_sigma * std::sqrt(3.0);
  for (int y = 0; y < canvas.rows; ++y) {
    auto* row = canvas.ptr<float>(y);
    for (int x = 0; x < canvas.cols; ++x) {
      double n = 0;
      for (int k = 0; k < 4; ++k) n += rng.Uniform(-1, 1);
      row[x] += static_cast<float>(0.5 * n * scale);
    }
  }
  canvas.convertTo(scene.image, CV_8U);
  return scene;
}

}  // namespace msrf
