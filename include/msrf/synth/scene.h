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

// The defaults, not tuned, draw a scene about the size of an ETHZ image (~500x400), busy
// enough that edges, fragments and trees have work to do. The edge nodes' calibration level
// is such a scene at these defaults, and `msrf synth` starts from them: changing them moves
// the cost model's reference and the bundled examples.
struct ClutterSceneOptions {
  cv::Size size{512, 384};
  uint64_t seed = 1;            // any fixed seed; the scene is a function of it
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
// The defaults, not tuned, pose the problem grouping solves on a scene about the size of an
// ETHZ image: an outline that reaches the edges in pieces, among clutter. Tests and
// benchmarks rely on them.
struct TargetSceneOptions {
  cv::Size size{480, 360};
  uint64_t seed = 1;  // any fixed seed; the scene is a function of it
  // The target's size is its outline's larger side, in pixels: `base_size` times a scale
  // drawn log-uniformly from [min_scale, max_scale]: 60 to 240 pixels, two octaves, all
  // above Detect's smallest object (CandidateOptions::min_object_size) and inside the image.
  double base_size = 120.0;
  double min_scale = 0.5;
  double max_scale = 2.0;
  // The target is turned by up to this, either way: nearly upright, as ETHZ objects are, and
  // well within Detect's CandidateOptions::max_rotation_deg.
  double max_rotation_deg = 5.0;
  bool draw_target = true;  // false: a scene without the target (a negative)
  // Damage, so that no one edge chain traces the whole outline and the detector must group:
  int num_breaks = 3;            // gaps cut into the target's outline
  double break_fraction = 0.03;  // each gap's length, as a fraction of the perimeter
  double occlusion = 0.15;       // area fraction of the target's box hidden by a blob
  // Clutter, for fragments that fit parts of the model by chance:
  int num_clutter_curves = 14;  // open wavy curves
  int num_distractors = 3;      // filled polygons and ellipses that are not the target
  // Additive noise, grey levels: mild, so that the scene tests grouping more than edges.
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
