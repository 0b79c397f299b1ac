// Target shapes: one closed contour, resampled, with multiscale parts from discrete curve
// evolution. Built from a hand-drawn outline image (thin dark lines on white, like ETHZ's
// models/*.tif), from a binary mask, or from a polygon.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// Not swept on a dataset; the notes say what each value trades.
struct ShapeModelOptions {
  // Points of the resampled contour, in [16, 4096]. Candidates start arcs every few points
  // (CandidateOptions::arc_start_step) and verification scores every point, so their cost
  // grows with it; fewer points blur the drawing's corners.
  int num_points = 128;
  // Outline images: pixels darker than this (0-255) are lines, in [1, 254]. Mid-grey:
  // halfway between dark lines and white paper.
  int line_threshold = 128;
  // Outline images: gaps in the drawing up to this many pixels are bridged, in [0, 20]. A few
  // pixels close a hand drawing's slips; larger values may close gaps the drawing means.
  int max_gap = 3;
  // Vertex counts of the DCE stages that define the parts, coarse to fine (each >= 3), each
  // twice the one before. Detection does not read the parts: they are written with the model
  // and drawn in its preview.
  std::vector<int> part_vertices = {6, 12, 24};
  // Masks: sigma of the Gaussian blur before the outline is traced at half height, pixels, in
  // [0.5, 4]; the outline is then smoothed along its length by 3 sigma (docs/models.md). One
  // pixel evens out JPEG's ringing and closes the cracks it leaves in thin parts (gaps
  // narrower than about 1.35 sigma), and moves a straight edge not at all. (Declared after
  // part_vertices, so that a brace list of four numbers stays a list of drawn flags.)
  double mask_sigma = 1.0;

  Status Validate() const;
};

// An arc of the model contour: points start, start + 1, ..., end (indices mod num_points).
struct ModelArc {
  int start = 0;
  int end = 0;
};

struct ModelPartLevel {
  int vertices = 0;            // DCE vertex count of this stage
  std::vector<int> corners;    // the surviving contour indices, increasing
  std::vector<ModelArc> arcs;  // corner to next corner, one arc per corner
};

struct ShapeModel {
  std::string name;
  // The closed contour at a constant arc-length step, model pixels, clockwise on screen
  // (positive signed area with y pointing down), starting at the top-most point. The last
  // point is not repeated.
  std::vector<cv::Point2d> points;
  // Per point: 1 where the contour follows a drawn line, 0 where it closes a drawing that the
  // frame cuts off (such stretches are not matched against image edges).
  std::vector<uint8_t> drawn;
  double perimeter = 0.0;
  cv::Point2d centroid;  // of the enclosed area
  cv::Rect2d bbox;
  std::vector<ModelPartLevel> parts;  // coarse to fine

  // The arc length between consecutive points.
  double step() const { return points.empty() ? 0.0 : perimeter / points.size(); }
};

// Limits on polygons given as numbers (JSON outlines, models read back). Coordinates are model
// pixels. Beyond 1e6 the sums behind the area and centroid lose the precision that the
// 0.001 of a written model needs (and 1e200 overflows them to inf); below a size of 1 pixel
// (the box diagonal) a model cannot be matched against edge pixels and its written form
// rounds points together. 100,000 points is 25 times the densest model contour
// (ShapeModelOptions::num_points <= 4096) and is checked in well under a second.
inline constexpr double kMaxModelCoordinate = 1e6;
inline constexpr double kMinModelSize = 1.0;
inline constexpr size_t kMaxPolygonPoints = 100'000;

// From a closed polygon (at least 3 distinct vertices, not self-intersecting, within the
// limits above).
Result<ShapeModel> ShapeModelFromPolygon(const std::vector<cv::Point2d>& polygon,
                                         const ShapeModelOptions& options = {});

// The same, with drawn[i] the flag of edge i (vertex i to i + 1), as in ShapeModel::drawn:
// reading back a model written by ShapeModelToJson keeps its points and flags.
Result<ShapeModel> ShapeModelFromPolygon(const std::vector<cv::Point2d>& polygon,
                                         const std::vector<uint8_t>& drawn,
                                         const ShapeModelOptions& options = {});

// From a mask (inside = above half the mask's brightest value: 0/1, 0/255, or a JPEG of
// either): the outer outline of its one shape, traced at sub-pixel precision
// (TraceMaskOutline; holes ignored, specks dropped, two shapes refused).
Result<ShapeModel> ShapeModelFromMask(const cv::Mat& mask, const ShapeModelOptions& options = {});

// From a drawing of thin dark lines on white. The drawing must enclose a region; where its
// lines run off the frame, the frame closes them (those stretches get drawn = 0).
Result<ShapeModel> ShapeModelFromOutline(const cv::Mat& drawing,
                                         const ShapeModelOptions& options = {});

// OK when `polygon` is a usable closed outline: at most kMaxPolygonPoints points, at least 3
// distinct ones, finite coordinates within +-kMaxModelCoordinate, a box diagonal of at least
// kMinModelSize, non-zero area, and no two non-adjacent edges touching.
Status ValidateClosedPolygon(const std::vector<cv::Point2d>& polygon);

}  // namespace msrf
