#include "msrf/io/fragments_json.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "json_numbers.h"
#include "msrf/core/build_info.h"
#include "msrf/fragments/trees.h"
#include "msrf/io/options_json.h"

namespace msrf {
namespace {

using internal::Round2;

nlohmann::json PointsJson(const std::vector<cv::Point2f>& pts) {
  nlohmann::json out = nlohmann::json::array();
  for (const cv::Point2f& p : pts) out.push_back({Round2(p.x), Round2(p.y)});
  return out;
}

}  // namespace

std::string FragmentsToJson(const MultiscaleFragments& result, const MultiscaleOptions& options,
                            const FragmentsJsonOptions& json_options) {
  nlohmann::ordered_json doc;
  doc["schema"] = kFragmentsSchemaVersion;
  doc["kind"] = "msrf.fragments";
  doc["msrf_version"] = Version();
  doc["image"] = {{"width", result.image_size.width}, {"height", result.image_size.height}};
  doc["options"] = nlohmann::ordered_json::parse(MultiscaleOptionsToJson(options));

  nlohmann::ordered_json levels = nlohmann::ordered_json::array();
  for (const LevelSummary& s : result.levels) {
    levels.push_back({{"index", s.index},
                      {"scale", s.scale},
                      {"width", s.size.width},
                      {"height", s.size.height},
                      {"edge_pixels", s.edge_pixels},
                      {"chains", s.chains},
                      {"fragments", nlohmann::ordered_json::array()}});
  }
  int links = 0;
  for (const Fragment& f : result.fragments) {
    nlohmann::ordered_json jf;
    jf["id"] = f.id;
    jf["parent"] = f.parent >= 0 ? nlohmann::ordered_json(f.parent) : nlohmann::ordered_json();
    jf["length"] = Round2(f.length);
    jf["bbox"] = {Round2(f.bbox.x), Round2(f.bbox.y), Round2(f.bbox.x + f.bbox.width),
                  Round2(f.bbox.y + f.bbox.height)};
    jf["closed"] = f.closed;
    jf["points"] = PointsJson(f.points);
    if (json_options.include_resampled) jf["resampled"] = PointsJson(f.resampled);
    links += f.parent >= 0;
    levels[static_cast<size_t>(f.level)]["fragments"].push_back(std::move(jf));
  }
  doc["levels"] = std::move(levels);
  const FragmentForest forest = FragmentForest::FromFragments(result.fragments);
  doc["trees"] = {
      {"fragments", result.fragments.size()}, {"roots", forest.roots.size()}, {"links", links}};

  if (json_options.include_timing) {
    nlohmann::ordered_json per_level = nlohmann::ordered_json::array();
    for (const LevelSummary& s : result.levels) {
      per_level.push_back({{"index", s.index},
                           {"pyramid_ms", s.pyramid_ms},
                           {"edges_ms", s.edges_ms},
                           {"fragments_ms", s.fragments_ms}});
    }
    doc["timing"] = {{"levels", std::move(per_level)},
                     {"trees_ms", result.trees_ms},
                     {"total_ms", result.total_ms}};
  }
  return doc.dump(json_options.indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace msrf
