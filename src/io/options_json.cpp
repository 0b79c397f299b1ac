#include "msrf/io/options_json.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <limits>
#include <map>

#include "msrf/io/json_read.h"

namespace msrf {
namespace {

using Json = nlohmann::ordered_json;

// One table of (section, key) -> accessor serves both directions, so the two cannot drift.
struct Field {
  std::function<Json(const MultiscaleOptions&)> get;
  std::function<Status(const Json&, MultiscaleOptions&)> set;
};

template <typename T>
Field Member(T MultiscaleOptions::*section, double T::*member) {
  return {[=](const MultiscaleOptions& o) { return Json((o.*section).*member); },
          [=](const Json& v, MultiscaleOptions& o) {
            if (!v.is_number()) return InvalidArgumentError("must be a number");
            (o.*section).*member = v.get<double>();
            return Status::Ok();
          }};
}
template <typename T>
Field Member(T MultiscaleOptions::*section, int T::*member) {
  return {[=](const MultiscaleOptions& o) { return Json((o.*section).*member); },
          [=](const Json& v, MultiscaleOptions& o) {
            // Range-checked first: 4294967298 must not wrap around to 2.
            Result<int64_t> i = JsonInteger(v, "", std::numeric_limits<int>::min(),
                                            std::numeric_limits<int>::max());
            if (!i.ok()) return i.status();
            (o.*section).*member = static_cast<int>(*i);
            return Status::Ok();
          }};
}

const std::vector<std::pair<std::string, std::vector<std::pair<std::string, Field>>>>& Schema() {
  using O = MultiscaleOptions;
  static const auto* schema =
      new std::vector<std::pair<std::string, std::vector<std::pair<std::string, Field>>>>{
          {"pyramid",
           {{"scale_factor", Member(&O::pyramid, &PyramidOptions::scale_factor)},
            {"num_levels", Member(&O::pyramid, &PyramidOptions::num_levels)},
            {"min_size", Member(&O::pyramid, &PyramidOptions::min_size)},
            {"sigma", Member(&O::pyramid, &PyramidOptions::sigma)}}},
          {"edges",
           {{"method",
             {[](const O& o) { return Json(EdgeMethodName(o.edges.method)); },
              [](const Json& v, O& o) {
                if (!v.is_string()) return InvalidArgumentError("must be a string");
                Result<EdgeMethod> m = ParseEdgeMethod(v.get<std::string>());
                if (!m.ok()) return Status(m.status().code(), m.status().message());
                o.edges.method = *m;
                return Status::Ok();
              }}},
            {"canny_non_edge_fraction", Member(&O::edges, &EdgeOptions::canny_non_edge_fraction)},
            {"canny_low_ratio", Member(&O::edges, &EdgeOptions::canny_low_ratio)},
            {"edge_drawing_gradient_threshold",
             Member(&O::edges, &EdgeOptions::edge_drawing_gradient_threshold)},
            {"edge_drawing_min_path_length",
             Member(&O::edges, &EdgeOptions::edge_drawing_min_path_length)},
            {"supplied_high", Member(&O::edges, &EdgeOptions::supplied_high)},
            {"supplied_low", Member(&O::edges, &EdgeOptions::supplied_low)}}},
          {"fragments",
           {{"dce_max_relevance",
             {[](const O& o) { return Json(o.fragments.dce.max_relevance); },
              [](const Json& v, O& o) {
                if (!v.is_number()) return InvalidArgumentError("must be a number");
                o.fragments.dce.max_relevance = v.get<double>();
                return Status::Ok();
              }}},
            {"cut_angle_deg", Member(&O::fragments, &FragmentOptions::cut_angle_deg)},
            {"corner_support", Member(&O::fragments, &FragmentOptions::corner_support)},
            {"min_length", Member(&O::fragments, &FragmentOptions::min_length)},
            {"resample_step", Member(&O::fragments, &FragmentOptions::resample_step)}}},
          {"trees",
           {{"tolerance", Member(&O::trees, &TreeOptions::tolerance)},
            {"min_coverage", Member(&O::trees, &TreeOptions::min_coverage)}}},
      };
  return *schema;
}

}  // namespace

std::string MultiscaleOptionsToJson(const MultiscaleOptions& options, int indent) {
  Json doc;
  for (const auto& [section, fields] : Schema()) {
    Json s;
    for (const auto& [key, field] : fields) s[key] = field.get(options);
    doc[section] = std::move(s);
  }
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status UpdateMultiscaleOptionsFromJson(std::string_view json_text, const std::string& source,
                                       MultiscaleOptions& options) {
  MSRF_ASSIGN_OR_RETURN(const Json doc, ParseJson(json_text, source));
  if (!doc.is_object()) return InvalidArgumentError(source + ": must hold a JSON object");
  MultiscaleOptions updated = options;
  for (const auto& [section_name, section] : doc.items()) {
    const auto& schema = Schema();
    // A lambda cannot capture a structured binding in C++17: compare with a named reference.
    const std::string& wanted_section = section_name;
    auto s = std::find_if(schema.begin(), schema.end(),
                          [&](const auto& e) { return e.first == wanted_section; });
    if (s == schema.end()) {
      return InvalidArgumentError(source + ": unknown section '" + section_name + "'");
    }
    if (!section.is_object()) {
      return InvalidArgumentError(source + ": '" + section_name + "' must be an object");
    }
    for (const auto& [key, value] : section.items()) {
      const std::string& wanted_key = key;
      auto f = std::find_if(s->second.begin(), s->second.end(),
                            [&](const auto& e) { return e.first == wanted_key; });
      if (f == s->second.end()) {
        return InvalidArgumentError(source + ": unknown key '" + section_name + "." + key + "'");
      }
      MSRF_RETURN_IF_ERROR(
          f->second.set(value, updated).WithContext(source + ": " + section_name + "." + key));
    }
  }
  MSRF_RETURN_IF_ERROR(updated.Validate().WithContext(source));
  options = updated;
  return Status::Ok();
}

}  // namespace msrf
