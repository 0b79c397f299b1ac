#include "msrf/io/detections_io.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "json_numbers.h"
#include "msrf/core/build_info.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"

namespace msrf {
namespace {

using internal::Round2;
using internal::Round4;

using Json = nlohmann::ordered_json;

}  // namespace

namespace {

Json ModelJson(const ShapeModel& model) {
  return {{"name", model.name},
          {"num_points", model.points.size()},
          {"perimeter", Round2(model.perimeter)}};
}

Json DetectionJson(const Detection& d, const std::string& model_name,
                   const std::vector<Fragment>& fragments) {
  Json j;
  j["model"] = model_name;
  j["score"] = Round4(d.score);
  j["coverage"] = Round4(d.coverage);
  j["fit"] = Round4(d.fit);
  j["support"] = Round4(d.support);
  j["surround"] = Round4(d.surround);
  j["box"] = {Round2(d.box.x), Round2(d.box.y), Round2(d.box.x + d.box.width),
              Round2(d.box.y + d.box.height)};
  j["fragments"] = d.fragments;
  Json arcs = Json::array();
  for (const ModelArc& a : d.model_arcs) arcs.push_back({a.start, a.end});
  j["model_arcs"] = std::move(arcs);
  j["transform"] = {{"scale", Round4(d.transform.scale)},
                    {"angle_deg", Round2(d.transform.angle * 180.0 / CV_PI)},
                    {"tx", Round2(d.transform.translation.x)},
                    {"ty", Round2(d.transform.translation.y)}};
  j["stretch"] = Round4(d.stretch);
  j["limb_turn_deg"] = Round2(d.limb_turn_deg);
  j["hypothesis"] = d.hypothesis;
  j["mirrored"] = d.mirrored;
  Json contours = Json::array();
  for (int f : d.fragments) {
    Json pts = Json::array();
    for (const cv::Point2f& p : fragments[static_cast<size_t>(f)].resampled)
      pts.push_back({Round2(p.x), Round2(p.y)});
    contours.push_back(std::move(pts));
  }
  j["contours"] = std::move(contours);
  return j;
}

Json SummaryJson(const DetectSummary& s) {
  return {{"fragments", s.num_fragments},
          {"candidates", s.num_candidates},
          {"hypotheses", s.num_hypotheses},
          {"pruned_trees", s.num_pruned_trees}};
}

Json TimingJson(const DetectTiming& t) {
  return {{"fragments_ms", t.fragments_ms},
          {"candidates_ms", t.candidates_ms},
          {"hypotheses_ms", t.hypotheses_ms},
          {"append_ms", t.append_ms},
          {"inference_ms", t.inference_ms},
          {"readout_ms", t.readout_ms},
          {"total_ms", t.total_ms}};
}

// The keys every form starts with, up to the models.
Json DocumentHead(cv::Size image_size) {
  Json doc;
  doc["schema"] = kDetectionsSchemaVersion;
  doc["kind"] = "msrf.detections";
  doc["msrf_version"] = Version();
  doc["image"] = {{"width", image_size.width}, {"height", image_size.height}};
  return doc;
}

void AddOptions(const DetectOptions& options, Json& doc) {
  doc["solver"] = SolverKindName(options.solver);
  doc["seed"] = options.seed;
  // Every option in effect, as --config reads it: the result says how it was made.
  doc["options"] = Json::parse(DetectOptionsToJson(options, -1));
}

std::string Dump(const Json& doc, const DetectionsJsonOptions& json_options) {
  return doc.dump(json_options.indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::vector<RankedDetection> RankDetections(const MultiDetections& result) {
  std::vector<RankedDetection> ranked;
  for (size_t m = 0; m < result.models.size(); ++m) {
    for (const Detection& d : result.models[m].detections) ranked.push_back({&d, m});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const RankedDetection& a, const RankedDetection& b) {
                     return a.detection->score > b.detection->score;
                   });
  return ranked;
}

std::string DetectionsToJson(const Detections& result, const ShapeModel& model,
                             const DetectOptions& options, cv::Size image_size,
                             const DetectionsJsonOptions& json_options) {
  Json doc = DocumentHead(image_size);
  doc["model"] = ModelJson(model);
  AddOptions(options, doc);
  Json detections = Json::array();
  for (const Detection& d : result.detections) {
    detections.push_back(DetectionJson(d, model.name, result.fragments.fragments));
  }
  doc["detections"] = std::move(detections);
  doc["summary"] = SummaryJson(result.summary);
  if (json_options.include_timing) doc["timing"] = TimingJson(result.summary.timing);
  return Dump(doc, json_options);
}

std::string DetectionsToJson(const MultiDetections& result, const std::vector<ShapeModel>& models,
                             const DetectOptions& options, cv::Size image_size,
                             const DetectionsJsonOptions& json_options) {
  Json doc = DocumentHead(image_size);
  Json model_list = Json::array();
  for (size_t m = 0; m < models.size(); ++m) {
    Json j = ModelJson(models[m]);
    if (m < result.models.size()) j["summary"] = SummaryJson(result.models[m].summary);
    model_list.push_back(std::move(j));
  }
  doc["models"] = std::move(model_list);
  AddOptions(options, doc);
  Json detections = Json::array();
  for (const RankedDetection& r : RankDetections(result)) {
    detections.push_back(
        DetectionJson(*r.detection, models[r.model].name, result.fragments.fragments));
  }
  doc["detections"] = std::move(detections);
  doc["summary"] = SummaryJson(result.summary);
  if (json_options.include_timing) doc["timing"] = TimingJson(result.summary.timing);
  return Dump(doc, json_options);
}

namespace {

// What the pictures draw of a detection: it, its model, and the model's name when the result
// holds several models (empty otherwise).
struct Drawn {
  const Detection* detection;
  const ShapeModel* model;
  std::string name;
};

std::vector<Drawn> DrawnOf(const Detections& result, const ShapeModel& model) {
  std::vector<Drawn> out;
  for (const Detection& d : result.detections) out.push_back({&d, &model, ""});
  return out;
}

std::vector<Drawn> DrawnOf(const MultiDetections& result, const std::vector<ShapeModel>& models) {
  std::vector<Drawn> out;
  for (const RankedDetection& r : RankDetections(result)) {
    out.push_back({r.detection, &models[r.model], models.size() > 1 ? models[r.model].name : ""});
  }
  return out;
}

cv::Mat Draw(const cv::Mat& image, const std::vector<Drawn>& drawn,
             const std::vector<Fragment>& fragments) {
  const double s = OverlayScale(image);
  cv::Mat canvas = DimmedCanvas(image, 0.5);
  constexpr int kShift = 3;
  auto at = [&](cv::Point2d p) {
    return cv::Point(cvRound((p.x + 0.5) * s * (1 << kShift)),
                     cvRound((p.y + 0.5) * s * (1 << kShift)));
  };
  // Worst first, so that the best ends on top.
  for (size_t k = drawn.size(); k-- > 0;) {
    const Detection& d = *drawn[k].detection;
    const cv::Scalar colour = k == 0 ? cv::Scalar(80, 230, 80) : cv::Scalar(40, 180, 250);
    std::vector<cv::Point> model_pts;
    if (!d.outline.empty()) {
      for (const cv::Point2d& p : d.outline) model_pts.push_back(at(p));
    } else {
      for (const cv::Point2d& p : drawn[k].model->points) {
        model_pts.push_back(at(d.transform.Apply(d.mirrored ? cv::Point2d(-p.x, p.y) : p)));
      }
    }
    cv::polylines(canvas, model_pts, true, cv::Scalar(230, 230, 230), 1, cv::LINE_AA, kShift);
    for (int f : d.fragments) {
      std::vector<cv::Point> pts;
      for (const cv::Point2f& p : fragments[static_cast<size_t>(f)].points) pts.push_back(at(p));
      cv::polylines(canvas, pts, false, colour, k == 0 ? 3 : 2, cv::LINE_AA, kShift);
    }
    const cv::Point tl = at(d.box.tl()), br = at(d.box.br());
    cv::rectangle(canvas, tl, br, colour, 1, cv::LINE_AA, kShift);
    char score[32];
    std::snprintf(score, sizeof(score), "%.2f", d.score);
    const std::string label = "#" + std::to_string(k + 1) + " " +
                              (drawn[k].name.empty() ? "" : drawn[k].name + " ") + score;
    const cv::Point text(tl.x >> kShift, std::max(12, (tl.y >> kShift) - 4));
    cv::putText(canvas, label, text, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 3,
                cv::LINE_AA);
    cv::putText(canvas, label, text, cv::FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv::LINE_AA);
  }
  if (drawn.empty()) {
    cv::putText(canvas, "no detection", cv::Point(10, 24), cv::FONT_HERSHEY_SIMPLEX, 0.6,
                cv::Scalar(80, 80, 255), 1, cv::LINE_AA);
  }
  return canvas;
}

// XML text: &, < and > escaped, and " for attributes.
std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Svg(const std::vector<Drawn>& drawn, const std::vector<Fragment>& fragments,
                cv::Size image_size) {
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << image_size.width << "\" height=\""
      << image_size.height << "\" viewBox=\"0 0 " << image_size.width << " " << image_size.height
      << "\">\n";
  char buf[128];
  for (size_t k = 0; k < drawn.size(); ++k) {
    const Detection& d = *drawn[k].detection;
    const std::string name = XmlEscape(drawn[k].name);
    const char* colour = k == 0 ? "#3ccc3c" : "#f5b428";
    std::snprintf(buf, sizeof(buf), "%.4f", d.score);
    svg << "  <g id=\"detection-" << k + 1 << "\""
        << (name.empty() ? "" : " data-model=\"" + name + "\"") << " data-score=\"" << buf
        << "\">\n";
    for (size_t i = 0; i < d.fragments.size(); ++i) {
      svg << "    <path data-fragment=\"" << d.fragments[i] << "\" data-model-arc=\""
          << d.model_arcs[i].start << "-" << d.model_arcs[i].end << "\" d=\"";
      const auto& pts = fragments[static_cast<size_t>(d.fragments[i])].resampled;
      for (size_t p = 0; p < pts.size(); ++p) {
        std::snprintf(buf, sizeof(buf), "%s%.2f %.2f", p == 0 ? "M" : " L", pts[p].x, pts[p].y);
        svg << buf;
      }
      svg << "\" fill=\"none\" stroke=\"" << colour << "\" stroke-width=\"2\"/>\n";
    }
    std::snprintf(buf, sizeof(buf), "x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", d.box.x,
                  d.box.y, d.box.width, d.box.height);
    svg << "    <rect " << buf << " fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"1\"/>\n";
    std::snprintf(buf, sizeof(buf), "x=\"%.2f\" y=\"%.2f\"", d.box.x, std::max(10.0, d.box.y - 3));
    svg << "    <text " << buf << " font-family=\"sans-serif\" font-size=\"12\" fill=\"" << colour
        << "\">#" << k + 1 << " " << (name.empty() ? "" : name + " ");
    std::snprintf(buf, sizeof(buf), "%.2f", d.score);
    svg << buf << "</text>\n  </g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace

cv::Mat DrawDetections(const cv::Mat& image, const Detections& result, const ShapeModel& model) {
  return Draw(image, DrawnOf(result, model), result.fragments.fragments);
}

cv::Mat DrawDetections(const cv::Mat& image, const MultiDetections& result,
                       const std::vector<ShapeModel>& models) {
  return Draw(image, DrawnOf(result, models), result.fragments.fragments);
}

std::string DetectionsToSvg(const Detections& result, cv::Size image_size) {
  static const ShapeModel kNone;
  return Svg(DrawnOf(result, kNone), result.fragments.fragments, image_size);
}

std::string DetectionsToSvg(const MultiDetections& result, const std::vector<ShapeModel>& models,
                            cv::Size image_size) {
  return Svg(DrawnOf(result, models), result.fragments.fragments, image_size);
}

}  // namespace msrf
