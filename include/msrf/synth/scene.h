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
  int num_shapes = 5;           // filled silhouettes: polygons and ellipses
  int num_clutter_curves = 10;  // open wavy curves
  double noise_sigma = 3.0;     // additive noise, grey levels
  int thickness = 2;            // stroke width of the clutter curves, pixels
};

struct SyntheticScene {
  cv::Mat image;  // CV_8UC1
  // The outlines of the silhouettes (level-0 pixels), in drawing order: later ones may
  // hide parts of earlier ones.
  std::vector<std::vector<cv::Point2d>> shapes;
};

SyntheticScene DrawClutterScene(const ClutterSceneOptions& options);

// A target shape drawn into clutter, with its true box: what a detector should find.
struct TargetSceneOptions {
  cv::Size size{480, 360};
  uint64_t seed = 1;
  // The target's size is its outline's larger side, in pixels: `base_size` times a scale
  // drawn log-uniformly from [min_scale, max_scale].
  double base_size = 120.0;
  double min_scale = 0.5;
  double max_scale = 2.0;
  double max_rotation_deg = 5.0;  // the target is turned by up to this, either way
  bool draw_target = true;        // false: a scene without the target (a negative)
  int num_breaks = 3;             // gaps cut into the target's outline
  double break_fraction = 0.03;   // each gap's length, as a fraction of the perimeter
  double occlusion = 0.15;        // area fraction of the target's box hidden by a blob
  int num_clutter_curves = 14;    // open wavy curves
  int num_distractors = 3;        // filled polygons and ellipses that are not the target
  double noise_sigma = 3.0;
  int thickness = 2;  // outline stroke width, pixels
};

struct TargetScene {
  cv::Mat image;                     // CV_8UC1
  cv::Rect2d box;                    // the target's bounding box (empty when not drawn)
  std::vector<cv::Point2d> outline;  // the target's outline in the image (before breaks)
  double scale = 1.0;                // outline size / base_size
};

// `shape`: the target's closed outline in any coordinates (it is centred and scaled).
TargetScene DrawTargetScene(const std::vector<cv::Point2d>& shape,
                            const TargetSceneOptions& options);

}  // namespace msrf
