// Synthetic images with known contents, for examples, tests and benchmarks. Every scene is
// a deterministic function of its options (seed included), on any machine.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

namespace msrf {

// Vertices of a regular n-gon (counter-clockwise in image coordinates), first vertex at
// angle `rotation` (radians) from the +x axis.
std::vector<cv::Point2d> RegularPolygon(cv::Point2d centre, double radius, int n,
                                        double rotation = 0.0);

// Draws a polyline with sub-pixel precision and anti-aliasing.
void DrawPolyline(cv::Mat& image, const std::vector<cv::Point2d>& points, bool closed,
                  double intensity, int thickness);

struct ClutterSceneOptions {
  cv::Size size{512, 384};
  uint64_t seed = 1;
  int num_shapes = 5;          // filled silhouettes: polygons and ellipses
  int num_clutter_curves = 10; // open wavy curves
  double noise_sigma = 3.0;    // additive noise, grey levels
  int thickness = 2;           // stroke width of the clutter curves, pixels
};

struct SyntheticScene {
  cv::Mat image;  // CV_8UC1
  // The outlines of the silhouettes (level-0 pixels), in drawing order: later ones may
  // hide parts of earlier ones.
  std::vector<std::vector<cv::Point2d>> shapes;
};

SyntheticScene DrawClutterScene(const ClutterSceneOptions& options);

}  // namespace msrf
