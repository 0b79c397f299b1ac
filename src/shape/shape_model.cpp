#include "msrf/shape/shape_model.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "msrf/core/check.h"
#include "msrf/fragments/dce.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/shape/outline_trace.h"
#include "msrf/shape/polygon_check.h"
#include "msrf/shape/untangle.h"

#include "polygon_geometry.h"

namespace msrf {

Status ShapeModelOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("model.num_points", num_points, 16, 4096));
  MSRF_RETURN_IF_ERROR(CheckRange("model.line_threshold", line_threshold, 1, 254));
  MSRF_RETURN_IF_ERROR(CheckRange("model.max_gap", max_gap, 0, 20));
  MSRF_RETURN_IF_ERROR(CheckRange("model.mask_sigma", mask_sigma, 0.5, 4.0));
  if (part_vertices.empty()) return InvalidArgumentError("model.part_vertices is empty");
  for (int v : part_vertices) {
    MSRF_RETURN_IF_ERROR(
        CheckRange("model.part_vertices (at most model.num_points)", v, 3, num_points));
  }
  return Status::Ok();
}

namespace {

using internal::SignedArea;

// Resamples a closed polyline at `n` points a constant arc length apart, starting at its
// first vertex. drawn[i] is the flag of segment i (vertex i to i + 1).
void ResampleClosed(const std::vector<cv::Point2d>& poly, const std::vector<uint8_t>& drawn, int n,
                    std::vector<cv::Point2d>& out, std::vector<uint8_t>& out_drawn,
                    double& perimeter) {
  const std::vector<double> cumulative = internal::ClosedArcLengths(poly);
  perimeter = cumulative.back();
  std::vector<size_t> segment;
  out = internal::ResampleClosed(poly, cumulative, n, &segment);
  out_drawn.clear();
  for (size_t seg : segment) out_drawn.push_back(drawn[seg]);
}

// Makes the polygon clockwise on screen (positive signed area, y down) and starts it at its
// top-most vertex; drawn[i] stays the flag of the edge from vertex i.
void OrientAndStartAtTop(std::vector<cv::Point2d>& poly, std::vector<uint8_t>& drawn) {
  if (SignedArea(poly) < 0) {
    std::reverse(poly.begin(), poly.end());
    // Segment i now runs from old vertex m-1-i to m-2-i: the old segment m-2-i.
    std::vector<uint8_t> flipped(drawn.size());
    const size_t m = drawn.size();
    for (size_t i = 0; i < m; ++i) flipped[i] = drawn[(2 * m - 2 - i) % m];
    drawn = flipped;
  }
  const auto top = std::min_element(poly.begin(), poly.end(), [](cv::Point2d a, cv::Point2d b) {
    return a.y < b.y || (a.y == b.y && a.x < b.x);
  });
  const auto shift = top - poly.begin();
  std::rotate(poly.begin(), top, poly.end());
  std::rotate(drawn.begin(), drawn.begin() + shift, drawn.end());
}

// Orients, rotates to the top-most vertex, resamples (unless `resample` is false: the points
// are a model's already), and derives everything else. Where the resampled contour crosses
// itself (stretches closer than the step), the crossings are untangled; a contour that stays
// tangled is refused, so that every model built here reads back.
Result<ShapeModel> BuildModel(std::vector<cv::Point2d> poly, std::vector<uint8_t> drawn,
                              const ShapeModelOptions& options, bool resample = true) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  OrientAndStartAtTop(poly, drawn);

  ShapeModel model;
  if (resample) {
    ResampleClosed(poly, drawn, options.num_points, model.points, model.drawn, model.perimeter);
    if (FindTouchingEdges(model.points)) {
      MSRF_RETURN_IF_ERROR(
          UntangleClosedPolygon(model.points, model.drawn, 16 * model.points.size()));
      OrientAndStartAtTop(model.points, model.drawn);
    }
    MSRF_RETURN_IF_ERROR(ValidateClosedPolygon(model.points));
  } else {
    model.points = std::move(poly);
    model.drawn = std::move(drawn);
  }
  model.perimeter = 0.0;
  for (size_t i = 0; i < model.points.size(); ++i) {
    model.perimeter += cv::norm(model.points[(i + 1) % model.points.size()] - model.points[i]);
  }

  // Centroid of the enclosed area, and the box.
  double area = 0.0, cx = 0.0, cy = 0.0;
  const auto& p = model.points;
  for (size_t i = 0; i < p.size(); ++i) {
    const cv::Point2d& u = p[i];
    const cv::Point2d& v = p[(i + 1) % p.size()];
    const double c = u.x * v.y - v.x * u.y;
    area += c;
    cx += (u.x + v.x) * c;
    cy += (u.y + v.y) * c;
  }
  model.centroid = {cx / (3.0 * area), cy / (3.0 * area)};
  if (!std::isfinite(model.centroid.x) || !std::isfinite(model.centroid.y) ||
      !std::isfinite(model.perimeter) || !(model.perimeter > 0)) {
    return InvalidArgumentError("the outline's centroid or perimeter is not a finite number");
  }
  double x0 = p[0].x, y0 = p[0].y, x1 = x0, y1 = y0;
  for (const cv::Point2d& q : p) {
    x0 = std::min(x0, q.x);
    y0 = std::min(y0, q.y);
    x1 = std::max(x1, q.x);
    y1 = std::max(y1, q.y);
  }
  model.bbox = cv::Rect2d(x0, y0, x1 - x0, y1 - y0);

  std::vector<int> vertices = options.part_vertices;
  std::sort(vertices.begin(), vertices.end());
  for (int v : vertices) {
    DceOptions dce;
    dce.normalize = true;
    dce.max_relevance = std::numeric_limits<double>::infinity();
    dce.min_vertices = v;
    ModelPartLevel level;
    level.vertices = v;
    level.corners = EvolveCurve(model.points, /*closed=*/true, dce);
    for (size_t i = 0; i < level.corners.size(); ++i) {
      level.arcs.push_back({level.corners[i], level.corners[(i + 1) % level.corners.size()]});
    }
    model.parts.push_back(std::move(level));
  }
  return model;
}

// The outer boundary of the largest region of a drawing's filled `mask`, as a pixel polygon
// smoothed over 5 pixels. Drawings keep this tracing rather than TraceMaskOutline's: their
// contour is the middle of the drawn lines, which this finds as well, and the models of
// ETHZ's drawings, which the benchmark's figures rest on, stay as they were (the sub-pixel
// tracing moves them by up to 1.6 pixels, docs/models.md).
Result<std::vector<cv::Point2d>> LargestBoundary(const cv::Mat& mask) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
  double best_area = 0.0;
  const std::vector<cv::Point>* best = nullptr;
  for (const auto& c : contours) {
    const double a = cv::contourArea(c);
    if (a > best_area) {
      best_area = a;
      best = &c;
    }
  }
  if (best == nullptr || best_area < 16.0 || best->size() < 8) {
    return InvalidArgumentError("the shape encloses too small an area (" +
                                std::to_string(static_cast<int>(best_area)) + " pixels)");
  }
  // Pixel boundaries are staircases; a binomial filter over 5 pixels (1 4 6 4 1) recovers
  // the contour the pixels sample, so that arc lengths are not inflated.
  const auto& c = *best;
  const size_t n = c.size();
  std::vector<cv::Point2d> smooth(n);
  for (size_t i = 0; i < n; ++i) {
    const cv::Point2d sum = 6.0 * cv::Point2d(c[i]) +
                            4.0 * (cv::Point2d(c[(i + 1) % n]) + cv::Point2d(c[(i + n - 1) % n])) +
                            cv::Point2d(c[(i + 2) % n]) + cv::Point2d(c[(i + n - 2) % n]);
    smooth[i] = sum / 16.0;
  }
  return smooth;
}

}  // namespace

namespace {

// The range and size limits of ValidateClosedPolygon, on its (distinct) points.
Status CheckPolygonScale(const std::vector<cv::Point2d>& p) {
  double x0 = p[0].x, y0 = p[0].y, x1 = x0, y1 = y0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (std::abs(p[i].x) > kMaxModelCoordinate || std::abs(p[i].y) > kMaxModelCoordinate) {
      return InvalidArgumentError("the outline's point " + std::to_string(i) +
                                  " lies outside [-1e6, 1e6] (model pixels)");
    }
    x0 = std::min(x0, p[i].x);
    y0 = std::min(y0, p[i].y);
    x1 = std::max(x1, p[i].x);
    y1 = std::max(y1, p[i].y);
  }
  if (std::hypot(x1 - x0, y1 - y0) < kMinModelSize) {
    return InvalidArgumentError("the outline is smaller than 1 pixel (box diagonal " +
                                std::to_string(std::hypot(x1 - x0, y1 - y0)) + "); scale it up");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateClosedPolygon(const std::vector<cv::Point2d>& polygon) {
  if (polygon.size() > kMaxPolygonPoints) {
    return InvalidArgumentError("the outline has " + std::to_string(polygon.size()) +
                                " points, above the limit of " + std::to_string(kMaxPolygonPoints));
  }
  std::vector<cv::Point2d> p;
  for (const cv::Point2d& q : polygon) {
    if (!std::isfinite(q.x) || !std::isfinite(q.y)) {
      return InvalidArgumentError("the outline has a non-finite coordinate");
    }
    if (p.empty() || q != p.back()) p.push_back(q);
  }
  while (p.size() > 1 && p.front() == p.back()) p.pop_back();  // closing repeat
  if (p.size() < 3) {
    return InvalidArgumentError("the outline has " + std::to_string(p.size()) +
                                " distinct points; a closed shape needs at least 3");
  }
  MSRF_RETURN_IF_ERROR(CheckPolygonScale(p));
  if (std::abs(SignedArea(p)) < 1e-9) return InvalidArgumentError("the outline encloses no area");
  if (const auto hit = FindTouchingEdges(p)) {
    return InvalidArgumentError("the outline intersects itself (edges " +
                                std::to_string(hit->first) + " and " + std::to_string(hit->second) +
                                ")");
  }
  return Status::Ok();
}

Result<ShapeModel> ShapeModelFromPolygon(const std::vector<cv::Point2d>& polygon,
                                         const ShapeModelOptions& options) {
  MSRF_RETURN_IF_ERROR(ValidateClosedPolygon(polygon));
  std::vector<cv::Point2d> p;
  for (const cv::Point2d& q : polygon) {
    if (p.empty() || q != p.back()) p.push_back(q);
  }
  while (p.size() > 1 && p.front() == p.back()) p.pop_back();
  return BuildModel(p, std::vector<uint8_t>(p.size(), 1), options);
}

Result<ShapeModel> ShapeModelFromPolygon(const std::vector<cv::Point2d>& polygon,
                                         const std::vector<uint8_t>& drawn,
                                         const ShapeModelOptions& options) {
  if (drawn.size() != polygon.size()) {
    return InvalidArgumentError("the outline has " + std::to_string(polygon.size()) +
                                " points but " + std::to_string(drawn.size()) + " drawn flags");
  }
  MSRF_RETURN_IF_ERROR(ValidateClosedPolygon(polygon));
  for (size_t i = 0; i < polygon.size(); ++i) {
    if (polygon[i] == polygon[(i + 1) % polygon.size()]) {
      return InvalidArgumentError("the outline repeats point " + std::to_string(i));
    }
  }
  // A model's own contour (as many points as asked for) is kept as it is, so that a model
  // read back from its JSON is the model that was written.
  const bool resample = static_cast<int>(polygon.size()) != options.num_points;
  return BuildModel(polygon, drawn, options, resample);
}

Result<ShapeModel> ShapeModelFromMask(const cv::Mat& mask, const ShapeModelOptions& options) {
  if (mask.empty()) return InvalidArgumentError("the mask is empty");
  MSRF_RETURN_IF_ERROR(options.Validate());
  MSRF_ASSIGN_OR_RETURN(std::vector<cv::Point2d> boundary,
                        TraceMaskOutline(ToGray(mask), options.mask_sigma));
  return BuildModel(boundary, std::vector<uint8_t>(boundary.size(), 1), options);
}

Result<ShapeModel> ShapeModelFromOutline(const cv::Mat& drawing, const ShapeModelOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (drawing.empty()) return InvalidArgumentError("the outline image is empty");
  cv::Mat gray;
  ToGray(drawing).convertTo(gray, CV_8U);
  const cv::Mat lines = gray < options.line_threshold;
  if (cv::countNonZero(lines) == 0)
    return InvalidArgumentError("the outline image has no dark lines");

  // Walls: the lines, bridged over small gaps, plus the sides of the frame the drawing runs
  // into (a drawing cut off by the frame is closed by it).
  const int r = (options.max_gap + 1) / 2;
  cv::Mat walls;
  cv::dilate(lines, walls, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * r + 1, 2 * r + 1}));
  const int w = gray.cols, h = gray.rows;
  // Line ends near the frame (within a tenth of the drawing's size) run on to it: a drawing
  // cut off by the frame (ETHZ's giraffe stops above its hooves) is closed by the frame.
  const cv::Mat skeleton = ThinEdges(walls);
  const int near_frame = std::max(w, h) / 10;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      if (!skeleton.at<uint8_t>(y, x)) continue;
      int neighbours = 0;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy;
          neighbours +=
              (dx || dy) && nx >= 0 && ny >= 0 && nx < w && ny < h && skeleton.at<uint8_t>(ny, nx);
        }
      }
      if (neighbours != 1) continue;
      const int d[4] = {x, w - 1 - x, y, h - 1 - y};  // left, right, top, bottom
      const int side = static_cast<int>(std::min_element(d, d + 4) - d);
      if (d[side] > near_frame) continue;
      const cv::Point to = side == 0   ? cv::Point(0, y)
                           : side == 1 ? cv::Point(w - 1, y)
                           : side == 2 ? cv::Point(x, 0)
                                       : cv::Point(x, h - 1);
      cv::line(walls, {x, y}, to, cv::Scalar(255), 2 * r + 1);
    }
  }
  const int reach = options.max_gap + 1;
  if (cv::countNonZero(walls.rowRange(0, std::min(reach, h)))) walls.row(0).setTo(255);
  if (cv::countNonZero(walls.rowRange(std::max(0, h - reach), h))) walls.row(h - 1).setTo(255);
  if (cv::countNonZero(walls.colRange(0, std::min(reach, w)))) walls.col(0).setTo(255);
  if (cv::countNonZero(walls.colRange(std::max(0, w - reach), w))) walls.col(w - 1).setTo(255);

  // Outside = what a flood fill from beyond the frame reaches; the shape is the rest.
  cv::Mat padded;
  cv::copyMakeBorder(walls, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
  cv::floodFill(padded, cv::Point(0, 0), cv::Scalar(128));
  cv::Mat region = padded(cv::Rect(1, 1, w, h)) != 128;
  const int interior = cv::countNonZero(region & (walls == 0));
  if (interior < 16) {
    return InvalidArgumentError(
        "the outline is open: its lines enclose no region (gaps wider "
        "than " +
        std::to_string(options.max_gap) + " pixels?)");
  }
  // Back from the outer edge of the walls to the middle of the lines.
  if (r > 0) {
    cv::erode(region, region, cv::getStructuringElement(cv::MORPH_ELLIPSE, {2 * r + 1, 2 * r + 1}));
  }
  MSRF_ASSIGN_OR_RETURN(std::vector<cv::Point2d> boundary, LargestBoundary(region));

  // A boundary point follows the drawing when a line pixel is near it.
  cv::Mat distance;
  cv::distanceTransform(lines == 0, distance, cv::DIST_L2, 3);
  auto model = [&](const std::vector<cv::Point2d>& outline) {
    std::vector<uint8_t> drawn(outline.size());
    for (size_t i = 0; i < outline.size(); ++i) {
      const cv::Point2d mid = 0.5 * (outline[i] + outline[(i + 1) % outline.size()]);
      const int x = std::clamp(static_cast<int>(std::lround(mid.x)), 0, w - 1);
      const int y = std::clamp(static_cast<int>(std::lround(mid.y)), 0, h - 1);
      drawn[i] = distance.at<float>(y, x) <= r + 2.5F ? 1 : 0;
    }
    return BuildModel(outline, drawn, options);
  };
  Result<ShapeModel> built = model(boundary);
  if (built.ok()) return built;
  // A pixel boundary runs twice along a part of the region one pixel wide, and a contour
  // that touches itself there cannot be untangled; the region's sub-pixel outline never
  // touches itself.
  Result<std::vector<cv::Point2d>> traced = TraceMaskOutline(region, options.mask_sigma);
  if (!traced.ok()) return built;
  Result<ShapeModel> retraced = model(*traced);
  return retraced.ok() ? std::move(retraced) : std::move(built);
}

}  // namespace msrf
