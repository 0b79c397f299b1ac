#include "msrf/io/detections_io.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "json_numbers.h"
#include "msrf/core/build_info.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"

namespace msrf {
namespace {

using internal::Round2;
using internal::Round4;

using Json = nlohmann::ordered_json;

const Fragment& FragmentOf(const Detections& r, int id) {
  return r.fragments.fragments[static_cast<size_t>(id)];
}

}  // namespace

std::string DetectionsToJson(const Detections& result, const ShapeModel& model,
                             const DetectOptions& options, cv::Size image_size,
                             const DetectionsJsonOptions& json_options) {
  Json doc;
  doc["schema"] = kDetectionsSchemaVersion;
  doc["kind"] = "msrf.detections";
  doc["msrf_version"] = Version();
  doc["image"] = {{"width", image_size.width}, {"height", image_size.height}};
  doc["model"] = {{"name", model.name},
                  {"num_points", model.points.size()},
                  {"perimeter", Round2(model.perimeter)}};
  doc["solver"] = SolverKindName(options.solver);
  doc["seed"] = options.seed;
  // Every option in effect, as --config reads it: the result says how it was made.
  doc["options"] = Json::parse(DetectOptionsToJson(options, -1));
  Json detections = Json::array();
  for (const Detection& d : result.detections) {
    Json j;
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
      for (const cv::Point2f& p : FragmentOf(result, f).resampled)
        pts.push_back({Round2(p.x), Round2(p.y)});
      contours.push_back(std::move(pts));
    }
    j["contours"] = std::move(contours);
    detections.push_back(std::move(j));
  }
  doc["detections"] = std::move(detections);
  doc["summary"] = {{"fragments", result.summary.num_fragments},
                    {"candidates", result.summary.num_candidates},
                    {"hypotheses", result.summary.num_hypotheses},
                    {"pruned_trees", result.summary.num_pruned_trees}};
  if (json_options.include_timing) {
    const DetectTiming& t = result.summary.timing;
    doc["timing"] = {{"fragments_ms", t.fragments_ms},
                     {"candidates_ms", t.candidates_ms},
                     {"hypotheses_ms", t.hypotheses_ms},
                     {"append_ms", t.append_ms},
                     {"inference_ms", t.inference_ms},
                     {"readout_ms", t.readout_ms},
                     {"total_ms", t.total_ms}};
  }
  return doc.dump(json_options.indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

cv::Mat DrawDetections(const cv::Mat& image, const Detections& result, const ShapeModel& model) {
  const double s = OverlayScale(image);
  cv::Mat canvas = DimmedCanvas(image, 0.5);
  constexpr int kShift = 3;
  auto at = [&](cv::Point2d p) {
    return cv::Point(cvRound((p.x + 0.5) * s * (1 << kShift)),
                     cvRound((p.y + 0.5) * s * (1 << kShift)));
  };
  // Worst first, so that the best ends on top.
  for (size_t k = result.detections.size(); k-- > 0;) {
    const Detection& d = result.detections[k];
    const cv::Scalar colour = k == 0 ? cv::Scalar(80, 230, 80) : cv::Scalar(40, 180, 250);
    std::vector<cv::Point> model_pts;
    if (!d.outline.empty()) {
      for (const cv::Point2d& p : d.outline) model_pts.push_back(at(p));
    } else {
      for (const cv::Point2d& p : model.points) {
        model_pts.push_back(at(d.transform.Apply(d.mirrored ? cv::Point2d(-p.x, p.y) : p)));
      }
    }
    cv::polylines(canvas, model_pts, true, cv::Scalar(230, 230, 230), 1, cv::LINE_AA, kShift);
    for (int f : d.fragments) {
      std::vector<cv::Point> pts;
      for (const cv::Point2f& p : FragmentOf(result, f).points) pts.push_back(at(p));
      cv::polylines(canvas, pts, false, colour, k == 0 ? 3 : 2, cv::LINE_AA, kShift);
    }
    const cv::Point tl = at(d.box.tl()), br = at(d.box.br());
    cv::rectangle(canvas, tl, br, colour, 1, cv::LINE_AA, kShift);
    char label[64];
    std::snprintf(label, sizeof(label), "#%zu %.2f", k + 1, d.score);
    const cv::Point text(tl.x >> kShift, std::max(12, (tl.y >> kShift) - 4));
    cv::putText(canvas, label, text, cv::FONT_HERSHEY_SIMPLEX, 0.5, cv::Scalar(0, 0, 0), 3,
                cv::LINE_AA);
    cv::putText(canvas, label, text, cv::FONT_HERSHEY_SIMPLEX, 0.5, colour, 1, cv::LINE_AA);
  }
  if (result.detections.empty()) {
    cv::putText(canvas, "no detection", cv::Point(10, 24), cv::FONT_HERSHEY_SIMPLEX, 0.6,
                cv::Scalar(80, 80, 255), 1, cv::LINE_AA);
  }
  return canvas;
}

std::string DetectionsToSvg(const Detections& result, cv::Size image_size) {
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << image_size.width << "\" height=\""
      << image_size.height << "\" viewBox=\"0 0 " << image_size.width << " " << image_size.height
      << "\">\n";
  char buf[128];
  for (size_t k = 0; k < result.detections.size(); ++k) {
    const Detection& d = result.detections[k];
    const char* colour = k == 0 ? "#3ccc3c" : "#f5b428";
    std::snprintf(buf, sizeof(buf), "%.4f", d.score);
    svg << "  <g id=\"detection-" << k + 1 << "\" data-score=\"" << buf << "\">\n";
    for (size_t i = 0; i < d.fragments.size(); ++i) {
      svg << "    <path data-fragment=\"" << d.fragments[i] << "\" data-model-arc=\""
          << d.model_arcs[i].start << "-" << d.model_arcs[i].end << "\" d=\"";
      const auto& pts = FragmentOf(result, d.fragments[i]).resampled;
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
        << "\">#" << k + 1 << " ";
    std::snprintf(buf, sizeof(buf), "%.2f", d.score);
    svg << buf << "</text>\n  </g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace msrf
