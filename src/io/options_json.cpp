#include "msrf/io/options_json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "msrf/io/json_read.h"

namespace msrf {
namespace {

using Json = nlohmann::ordered_json;

// One key of an options struct S: how to write it and how to read it back.
template <typename S>
struct Field {
  std::string key;
  std::function<Json(const S&)> get;
  std::function<Status(const Json&, S&)> set;
};

// A section of a root struct: its name and its keys, reached through the root.
template <typename Root>
struct Section {
  std::string name;
  std::vector<Field<Root>> fields;
};

template <typename S>
Field<S> Number(std::string key, double S::*member) {
  return {std::move(key), [=](const S& s) { return Json(s.*member); },
          [=](const Json& v, S& s) {
            Result<double> d = JsonNumber(v, "");
            if (!d.ok()) return d.status();
            s.*member = *d;
            return Status::Ok();
          }};
}

// A list of at most 64 finite numbers.
template <typename S>
Field<S> Numbers(std::string key, std::vector<double> S::*member) {
  return {std::move(key), [=](const S& s) { return Json(s.*member); },
          [=](const Json& v, S& s) {
            if (!v.is_array() || v.size() > 64) {
              return InvalidArgumentError("must be an array of at most 64 numbers");
            }
            std::vector<double> values;
            for (const Json& x : v) {
              Result<double> d = JsonNumber(x, "");
              if (!d.ok()) return InvalidArgumentError("must hold finite numbers");
              values.push_back(*d);
            }
            s.*member = std::move(values);
            return Status::Ok();
          }};
}

template <typename S>
Field<S> Integer(std::string key, int S::*member) {
  return {std::move(key), [=](const S& s) { return Json(s.*member); },
          [=](const Json& v, S& s) {
            // Range-checked first: 4294967298 must not wrap around to 2.
            Result<int64_t> i = JsonInteger(v, "", std::numeric_limits<int>::min(),
                                            std::numeric_limits<int>::max());
            if (!i.ok()) return i.status();
            s.*member = static_cast<int>(*i);
            return Status::Ok();
          }};
}

template <typename S>
Field<S> Flag(std::string key, bool S::*member) {
  return {std::move(key), [=](const S& s) { return Json(s.*member); },
          [=](const Json& v, S& s) {
            if (!v.is_boolean()) return InvalidArgumentError("must be true or false");
            s.*member = v.get<bool>();
            return Status::Ok();
          }};
}

template <typename S>
Field<S> Seed(std::string key, uint64_t S::*member) {
  return {std::move(key), [=](const S& s) { return Json(s.*member); },
          [=](const Json& v, S& s) {
            // nlohmann keeps integers above 2^63 - 1 as unsigned; negative ones are signed.
            if (v.is_number_unsigned()) {
              s.*member = v.get<uint64_t>();
            } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
              s.*member = static_cast<uint64_t>(v.get<int64_t>());
            } else {
              return InvalidArgumentError("must be an integer in [0, 18446744073709551615]");
            }
            return Status::Ok();
          }};
}

// A field whose value is a name (an enum): `name` writes it, `parse` reads it.
template <typename S, typename E>
Field<S> Named(std::string key, E S::*member, const char* (*name)(E),
               Result<E> (*parse)(const std::string&)) {
  return {std::move(key), [=](const S& s) { return Json(name(s.*member)); },
          [=](const Json& v, S& s) {
            if (!v.is_string()) return InvalidArgumentError("must be a string");
            Result<E> e = parse(v.get<std::string>());
            if (!e.ok()) return Status(e.status().code(), e.status().message());
            s.*member = *e;
            return Status::Ok();
          }};
}

// The fields of S, reached in a Root through `access` (a generic lambda returning S&, for a
// const or a mutable Root).
template <typename Root, typename S, typename Access>
Section<Root> Lift(std::string name, Access access, const std::vector<Field<S>>& fields) {
  Section<Root> section{std::move(name), {}};
  for (const Field<S>& f : fields) {
    section.fields.push_back({f.key, [=](const Root& r) { return f.get(access(r)); },
                              [=](const Json& v, Root& r) { return f.set(v, access(r)); }});
  }
  return section;
}

const char* McmcKernelName(McmcKernel kernel) {
  return kernel == McmcKernel::kGibbs ? "gibbs" : "metropolis";
}
Result<McmcKernel> ParseMcmcKernel(const std::string& name) {
  if (name == "gibbs") return McmcKernel::kGibbs;
  if (name == "metropolis") return McmcKernel::kMetropolis;
  return InvalidArgumentError("must be \"gibbs\" or \"metropolis\", got '" + name + "'");
}

std::vector<Field<PyramidOptions>> PyramidFields() {
  using S = PyramidOptions;
  return {Number("scale_factor", &S::scale_factor), Integer("num_levels", &S::num_levels),
          Integer("min_size", &S::min_size), Number("sigma", &S::sigma)};
}

std::vector<Field<EdgeOptions>> EdgeFields() {
  using S = EdgeOptions;
  return {Named("method", &S::method, &EdgeMethodName, &ParseEdgeMethod),
          Number("canny_non_edge_fraction", &S::canny_non_edge_fraction),
          Number("canny_low_ratio", &S::canny_low_ratio),
          Integer("edge_drawing_gradient_threshold", &S::edge_drawing_gradient_threshold),
          Integer("edge_drawing_min_path_length", &S::edge_drawing_min_path_length),
          Number("supplied_high", &S::supplied_high),
          Number("supplied_low", &S::supplied_low),
          Number("forest_high", &S::forest_high),
          Number("forest_low", &S::forest_low),
          Numbers("forest_scales", &S::forest_scales)};
}

std::vector<Field<FragmentOptions>> FragmentFields() {
  using S = FragmentOptions;
  std::vector<Field<S>> fields =
      Lift<S>(
          "", [](auto& s) -> auto& { return s.dce; },
          std::vector<Field<DceOptions>>{Number("dce_max_relevance", &DceOptions::max_relevance),
                                         Integer("dce_min_vertices", &DceOptions::min_vertices),
                                         Flag("dce_normalize", &DceOptions::normalize)})
          .fields;
  for (Field<S> f :
       {Number("cut_angle_deg", &S::cut_angle_deg), Number("corner_support", &S::corner_support),
        Number("min_length", &S::min_length), Number("resample_step", &S::resample_step)}) {
    fields.push_back(std::move(f));
  }
  return fields;
}

std::vector<Field<TreeOptions>> TreeFields() {
  using S = TreeOptions;
  return {Number("tolerance", &S::tolerance), Number("min_coverage", &S::min_coverage)};
}

std::vector<Field<CandidateOptions>> CandidateFields() {
  using S = CandidateOptions;
  return {Integer("samples", &S::samples),
          Integer("arc_start_step", &S::arc_start_step),
          Numbers("arc_fractions", &S::arc_fractions),
          Number("max_rotation_deg", &S::max_rotation_deg),
          Number("min_object_size", &S::min_object_size),
          Number("max_object_size", &S::max_object_size),
          Number("fit_sigma", &S::fit_sigma),
          Number("min_quality", &S::min_quality),
          Integer("max_per_fragment", &S::max_per_fragment),
          Number("min_fragment_length", &S::min_fragment_length)};
}

std::vector<Field<HypothesisOptions>> HypothesisFields() {
  using S = HypothesisOptions;
  return {Number("log_scale_bin", &S::log_scale_bin),
          Number("position_bin", &S::position_bin),
          Integer("max_hypotheses", &S::max_hypotheses),
          Number("peak_pool", &S::peak_pool),
          Number("centre_tolerance", &S::centre_tolerance),
          Number("scale_tolerance", &S::scale_tolerance)};
}

std::vector<Field<PotentialOptions>> PotentialFields() {
  using S = PotentialOptions;
  return {Integer("max_labels", &S::max_labels),
          Integer("max_fragments", &S::max_fragments),
          Number("background_unary", &S::background_unary),
          Number("background_pairwise", &S::background_pairwise),
          Number("centre_sigma", &S::centre_sigma),
          Number("scale_sigma", &S::scale_sigma)};
}

std::vector<Field<VerifyOptions>> VerifyFields() {
  using S = VerifyOptions;
  return {Integer("refine_rounds", &S::refine_rounds),
          Number("search_radius", &S::search_radius),
          Number("max_stretch", &S::max_stretch),
          Number("support_tolerance", &S::support_tolerance),
          Number("curvature_weight", &S::curvature_weight),
          Flag("oriented", &S::oriented),
          Number("max_limb_turn_deg", &S::max_limb_turn_deg),
          Integer("limb_turn_steps", &S::limb_turn_steps),
          Integer("warp_grid", &S::warp_grid),
          Number("warp_radius", &S::warp_radius),
          Number("warp_ridge", &S::warp_ridge),
          Number("warp_smooth", &S::warp_smooth),
          Number("max_warp", &S::max_warp),
          Integer("deform_rounds", &S::deform_rounds),
          Number("deform_radius", &S::deform_radius),
          Number("deform_sigma", &S::deform_sigma),
          Number("deform_prior", &S::deform_prior),
          Number("max_deform", &S::max_deform),
          Number("cut_extension", &S::cut_extension),
          Number("fit_weight", &S::fit_weight),
          Number("surround_width", &S::surround_width),
          Number("surround_weight", &S::surround_weight),
          Number("stretch_sigma", &S::stretch_sigma)};
}

std::vector<Field<McmcOptions>> McmcFields() {
  using S = McmcOptions;
  return {Named("kernel", &S::kernel, &McmcKernelName, &ParseMcmcKernel),
          Integer("num_chains", &S::num_chains),
          Integer("anneal_sweeps", &S::anneal_sweeps),
          Integer("sample_sweeps", &S::sample_sweeps),
          Integer("burn_in_sweeps", &S::burn_in_sweeps),
          Number("initial_temperature", &S::initial_temperature),
          Number("final_temperature", &S::final_temperature)};
}

std::vector<Field<DetectOptions>> DetectFields() {
  using S = DetectOptions;
  return {Named("solver", &S::solver, &SolverKindName, &ParseSolverKind),
          Integer("max_detections", &S::max_detections),
          Number("nms_iou", &S::nms_iou),
          Number("nms_inside", &S::nms_inside),
          Number("nms_inside_shared", &S::nms_inside_shared),
          Number("min_score", &S::min_score),
          Flag("mirror", &S::mirror),
          Numbers("stretches", &S::stretches),
          Seed("seed", &S::seed)};
}

const std::vector<Section<MultiscaleOptions>>& MultiscaleSchema() {
  using O = MultiscaleOptions;
  static const auto* schema = new std::vector<Section<O>>{
      Lift<O>(
          "pyramid", [](auto& o) -> auto& { return o.pyramid; }, PyramidFields()),
      Lift<O>(
          "edges", [](auto& o) -> auto& { return o.edges; }, EdgeFields()),
      Lift<O>(
          "fragments", [](auto& o) -> auto& { return o.fragments; }, FragmentFields()),
      Lift<O>(
          "trees", [](auto& o) -> auto& { return o.trees; }, TreeFields())};
  return *schema;
}

const std::vector<Section<DetectOptions>>& DetectSchema() {
  using O = DetectOptions;
  static const auto* schema = [] {
    auto* s = new std::vector<Section<O>>;
    for (const Section<MultiscaleOptions>& m : MultiscaleSchema()) {
      s->push_back(Lift<O>(
          m.name, [](auto& o) -> auto& { return o.fragments; }, m.fields));
    }
    s->push_back(Lift<O>(
        "candidates", [](auto& o) -> auto& { return o.candidates; }, CandidateFields()));
    s->push_back(Lift<O>(
        "hypotheses", [](auto& o) -> auto& { return o.hypotheses; }, HypothesisFields()));
    s->push_back(Lift<O>(
        "potentials", [](auto& o) -> auto& { return o.potentials; }, PotentialFields()));
    s->push_back(Lift<O>(
        "verify", [](auto& o) -> auto& { return o.verify; }, VerifyFields()));
    s->push_back(Lift<O>(
        "append", [](auto& o) -> auto& { return o.append; },
        std::vector<Field<AppendOptions>>{
            Integer("max_labels_per_tree", &AppendOptions::max_labels_per_tree)}));
    s->push_back(Lift<O>(
        "relaxation", [](auto& o) -> auto& { return o.relaxation; },
        std::vector<Field<RelaxationOptions>>{
            Integer("max_iterations", &RelaxationOptions::max_iterations),
            Number("tolerance", &RelaxationOptions::tolerance),
            Number("unary_weight", &RelaxationOptions::unary_weight),
            Number("initial_floor", &RelaxationOptions::initial_floor)}));
    s->push_back(Lift<O>(
        "mcmc", [](auto& o) -> auto& { return o.mcmc; }, McmcFields()));
    s->push_back(Lift<O>(
        "icm", [](auto& o) -> auto& { return o.icm; },
        std::vector<Field<IcmOptions>>{Integer("max_iterations", &IcmOptions::max_iterations)}));
    s->push_back(Lift<O>(
        "detect", [](auto& o) -> auto& { return o; }, DetectFields()));
    return s;
  }();
  return *schema;
}

template <typename S>
Json FieldsToJson(const std::vector<Field<S>>& fields, const S& options) {
  Json doc = Json::object();
  for (const Field<S>& f : fields) doc[f.key] = f.get(options);
  return doc;
}

template <typename Root>
Json ToJson(const std::vector<Section<Root>>& schema, const Root& options) {
  Json doc = Json::object();
  for (const Section<Root>& s : schema) doc[s.name] = FieldsToJson(s.fields, options);
  return doc;
}

std::string Dump(const Json& doc, int indent) {
  return doc.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Sets the keys `object` gives; `where` names the section ("pyramid") or is empty.
template <typename S>
Status UpdateFields(const Json& object, const std::vector<Field<S>>& fields,
                    const std::string& source, const std::string& where, S& options) {
  const std::string prefix = where.empty() ? "" : where + ".";
  if (!object.is_object()) {
    return InvalidArgumentError(
        source + ": " +
        (where.empty() ? "must hold a JSON object" : "'" + where + "' must be an object"));
  }
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    const auto f = std::find_if(fields.begin(), fields.end(),
                                [&](const Field<S>& field) { return field.key == key; });
    if (f == fields.end()) {
      return InvalidArgumentError(source + ": unknown key '" + prefix + key + "'");
    }
    MSRF_RETURN_IF_ERROR(f->set(item.value(), options).WithContext(source + ": " + prefix + key));
  }
  return Status::Ok();
}

template <typename Root>
Status Update(std::string_view json_text, const std::string& source,
              const std::vector<Section<Root>>& schema, Root& options) {
  MSRF_ASSIGN_OR_RETURN(const Json doc, ParseJson(json_text, source));
  if (!doc.is_object()) return InvalidArgumentError(source + ": must hold a JSON object");
  Root updated = options;
  for (const auto& item : doc.items()) {
    const std::string& name = item.key();
    const auto s = std::find_if(schema.begin(), schema.end(),
                                [&](const Section<Root>& section) { return section.name == name; });
    if (s == schema.end()) return InvalidArgumentError(source + ": unknown section '" + name + "'");
    MSRF_RETURN_IF_ERROR(UpdateFields(item.value(), s->fields, source, name, updated));
  }
  MSRF_RETURN_IF_ERROR(updated.Validate().WithContext(source));
  options = std::move(updated);
  return Status::Ok();
}

}  // namespace

std::string MultiscaleOptionsToJson(const MultiscaleOptions& options, int indent) {
  return Dump(ToJson(MultiscaleSchema(), options), indent);
}

Status UpdateMultiscaleOptionsFromJson(std::string_view json_text, const std::string& source,
                                       MultiscaleOptions& options) {
  return Update(json_text, source, MultiscaleSchema(), options);
}

std::string DetectOptionsToJson(const DetectOptions& options, int indent) {
  return Dump(ToJson(DetectSchema(), options), indent);
}

Status UpdateDetectOptionsFromJson(std::string_view json_text, const std::string& source,
                                   DetectOptions& options) {
  return Update(json_text, source, DetectSchema(), options);
}

std::string CandidateOptionsToJson(const CandidateOptions& options) {
  static const auto* fields = new std::vector<Field<CandidateOptions>>(CandidateFields());
  return Dump(FieldsToJson(*fields, options), -1);
}

Status UpdateCandidateOptionsFromJson(std::string_view json_text, const std::string& source,
                                      CandidateOptions& options) {
  static const auto* fields = new std::vector<Field<CandidateOptions>>(CandidateFields());
  MSRF_ASSIGN_OR_RETURN(const Json doc, ParseJson(json_text, source));
  CandidateOptions updated = options;
  MSRF_RETURN_IF_ERROR(UpdateFields(doc, *fields, source, "candidates", updated));
  MSRF_RETURN_IF_ERROR(updated.Validate().WithContext(source));
  options = std::move(updated);
  return Status::Ok();
}

}  // namespace msrf
