#include "msrf/io/model_io.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "json_numbers.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/json_read.h"
#include "msrf/io/overlay.h"

namespace msrf {
namespace {

using Json = JsonDocument;

bool HasJsonExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".json";
}

Result<std::vector<cv::Point2d>> ReadPoints(const Json& array, const std::string& what) {
  if (!array.is_array()) return InvalidArgumentError(what + " must be an array of [x, y]");
  if (array.size() > kMaxPolygonPoints) {
    return InvalidArgumentError(what + " has " + std::to_string(array.size()) +
                                " points, above the limit of " + std::to_string(kMaxPolygonPoints));
  }
  std::vector<cv::Point2d> points;
  for (size_t i = 0; i < array.size(); ++i) {
    const Json& p = array[i];
    const std::string where = what + "[" + std::to_string(i) + "]";
    if (!p.is_array() || p.size() != 2) return InvalidArgumentError(where + " must be [x, y]");
    MSRF_ASSIGN_OR_RETURN(const double x, JsonNumber(p[0], where + ".x"));
    MSRF_ASSIGN_OR_RETURN(const double y, JsonNumber(p[1], where + ".y"));
    points.emplace_back(x, y);
  }
  return points;
}

// A written model's points at 0.001 (short, readable files), unless rounding would make
// them a contour that reading refuses (points merged or edges crossing: tiny or thin shapes);
// then all digits, which read back exactly.
Json WrittenPoints(const std::vector<cv::Point2d>& points) {
  std::vector<cv::Point2d> rounded;
  rounded.reserve(points.size());
  for (const cv::Point2d& p : points)
    rounded.emplace_back(internal::Round3(p.x), internal::Round3(p.y));
  bool usable = ValidateClosedPolygon(rounded).ok();
  for (size_t i = 0; usable && i < rounded.size(); ++i) {
    usable = rounded[i] != rounded[(i + 1) % rounded.size()];
  }
  Json out = Json::array();
  for (const cv::Point2d& p : usable ? rounded : points) out.push_back({p.x, p.y});
  return out;
}

}  // namespace

Result<ShapeModel> ShapeModelFromJson(std::string_view text, const std::string& source,
                                      const ShapeModelOptions& options) {
  MSRF_ASSIGN_OR_RETURN(const Json doc, ParseJson(text, source));
  if (!doc.is_object()) return InvalidArgumentError(source + ": must hold a JSON object");
  const bool full = doc.contains("points");
  const char* key = full ? "points" : "polygon";
  if (!doc.contains(key)) {
    return InvalidArgumentError(source + ": no \"polygon\" (or \"points\") array");
  }
  Result<std::vector<cv::Point2d>> points = ReadPoints(doc[key], key);
  if (!points.ok()) return points.status().WithContext(source);
  // A model written by msrf keeps its points and drawn flags; a bare polygon is all drawn.
  auto build = [&]() -> Result<ShapeModel> {
    if (!full || !doc.contains("drawn")) return ShapeModelFromPolygon(*points, options);
    // A written model keeps its own points, however many: resampled to another count, its
    // contour could cross itself where the one written does not.
    ShapeModelOptions own = options;
    const auto count = static_cast<int>(points->size());
    if (count >= 16 && count <= 4096) {
      own.num_points = count;
      for (int& v : own.part_vertices) v = std::min(v, count);
    }
    const Json& flags = doc["drawn"];
    if (!flags.is_array()) return InvalidArgumentError("\"drawn\" must be an array");
    std::vector<uint8_t> drawn;
    for (const Json& f : flags) {
      if (!f.is_number_integer()) return InvalidArgumentError("\"drawn\" must hold 0 or 1");
      drawn.push_back(f != 0 ? 1 : 0);  // compared as written, never narrowed
    }
    return ShapeModelFromPolygon(*points, drawn, own);
  };
  Result<ShapeModel> model = build();
  if (!model.ok()) return model.status().WithContext(source);
  if (doc.contains("name")) {
    if (!doc["name"].is_string())
      return InvalidArgumentError(source + ": \"name\" must be a string");
    model->name = doc["name"].get<std::string>();
  }
  return model;
}

std::string ShapeModelToJson(const ShapeModel& model) {
  Json doc;
  doc["schema"] = kShapeModelSchemaVersion;
  doc["kind"] = "msrf.shape_model";
  doc["name"] = model.name;
  doc["num_points"] = model.points.size();
  doc["perimeter"] = internal::Round3(model.perimeter);
  doc["centroid"] = {internal::Round3(model.centroid.x), internal::Round3(model.centroid.y)};
  doc["bbox"] = {internal::Round3(model.bbox.x), internal::Round3(model.bbox.y),
                 internal::Round3(model.bbox.x + model.bbox.width),
                 internal::Round3(model.bbox.y + model.bbox.height)};
  doc["points"] = WrittenPoints(model.points);
  doc["drawn"] = model.drawn;
  Json parts = Json::array();
  for (const ModelPartLevel& level : model.parts) {
    Json arcs = Json::array();
    for (const ModelArc& a : level.arcs) arcs.push_back({a.start, a.end});
    parts.push_back({{"vertices", level.vertices}, {"corners", level.corners}, {"arcs", arcs}});
  }
  doc["parts"] = std::move(parts);
  return doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<ShapeModel> LoadShapeModel(const std::string& path, const ShapeModelOptions& options,
                                  ModelImageKind kind) {
  const std::string name = std::filesystem::path(path).stem().string();
  if (HasJsonExtension(path)) {
    MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path, kMaxJsonFileBytes));
    MSRF_ASSIGN_OR_RETURN(ShapeModel model, ShapeModelFromJson(text, path, options));
    if (model.name.empty()) model.name = name;
    return model;
  }
  ImageReadOptions read;
  read.imread_flags = cv::IMREAD_GRAYSCALE;
  MSRF_ASSIGN_OR_RETURN(cv::Mat image, ReadImage(path, read));
  if (kind == ModelImageKind::kAuto) {
    kind = cv::mean(image)[0] > 127.0 ? ModelImageKind::kOutline : ModelImageKind::kMask;
  }
  Result<ShapeModel> model = kind == ModelImageKind::kOutline
                                 ? ShapeModelFromOutline(image, options)
                                 : ShapeModelFromMask(image, options);
  if (!model.ok()) return model.status().WithContext(path);
  model->name = name;
  return model;
}

cv::Mat DrawShapeModel(const ShapeModel& model) {
  constexpr int kMargin = 24;
  const double s = 400.0 / std::max({model.bbox.width, model.bbox.height, 1.0});
  const cv::Size size(static_cast<int>(model.bbox.width * s) + 2 * kMargin,
                      static_cast<int>(model.bbox.height * s) + 2 * kMargin + 20);
  cv::Mat canvas(size, CV_8UC3, cv::Scalar(255, 255, 255));
  auto at = [&](cv::Point2d p) {
    return cv::Point(static_cast<int>(std::lround(((p.x - model.bbox.x) * s + kMargin) * 16)),
                     static_cast<int>(std::lround(((p.y - model.bbox.y) * s + kMargin) * 16)));
  };
  const size_t n = model.points.size();
  for (size_t i = 0; i < n; ++i) {
    const bool drawn = model.drawn[i] != 0;
    cv::line(canvas, at(model.points[i]), at(model.points[(i + 1) % n]),
             drawn ? cv::Scalar(40, 40, 40) : cv::Scalar(60, 60, 230), drawn ? 2 : 1, cv::LINE_AA,
             4);
  }
  for (size_t l = 0; l < model.parts.size(); ++l) {
    const int radius = static_cast<int>(model.parts.size() - l) * 3 + 2;
    for (int c : model.parts[l].corners) {
      cv::circle(canvas, at(model.points[static_cast<size_t>(c)]), radius * 16,
                 LevelColour(static_cast<int>(l)), 2, cv::LINE_AA, 4);
    }
  }
  cv::drawMarker(canvas, at(model.centroid) / 16, cv::Scalar(200, 120, 0), cv::MARKER_CROSS, 14, 2);
  std::string legend = model.name + ": " + std::to_string(n) + " points";
  for (const ModelPartLevel& level : model.parts) legend += ", " + std::to_string(level.vertices);
  legend += " part corners";
  cv::putText(canvas, legend, cv::Point(8, size.height - 8), cv::FONT_HERSHEY_SIMPLEX, 0.45,
              cv::Scalar(0, 0, 0), 1, cv::LINE_AA);
  return canvas;
}

}  // namespace msrf
