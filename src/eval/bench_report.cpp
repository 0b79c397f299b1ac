// Scoring the benchmark's detections and writing them up: the table, summary.json,
// detections.json and the curves.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "msrf/core/box.h"
#include "msrf/eval/bench.h"
#include "msrf/eval/curves_plot.h"

namespace msrf {
namespace {

using Json = nlohmann::ordered_json;

// Names and paths are checked as UTF-8 when the dataset is read; replacing bad bytes here
// keeps a JSON writer from throwing after the work is done, whatever the caller passed.
std::string Dump(const Json& json, int indent) {
  return json.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

// A header's class columns, each `width` wide, then `last` and the end of the line.
void ClassColumns(std::ostringstream& table, const std::vector<std::string>& classes, int width,
                  const char* last) {
  char cell[64];
  for (const std::string& c : classes) {
    std::snprintf(cell, sizeof(cell), " %*s", width, c.c_str());
    table << cell;
  }
  std::snprintf(cell, sizeof(cell), " %*s\n", width, last);
  table << cell;
}

std::string FppiKey(double f) {
  char key[16];
  std::snprintf(key, sizeof(key), "%.1f", f);
  return key;
}

}  // namespace

const std::vector<BenchCriterion>& BenchCriteria() {
  static const auto* criteria = new std::vector<BenchCriterion>{{"pascal", 0.5}, {"iou20", 0.2}};
  return *criteria;
}

const std::vector<double>& BenchReportFppi() {
  static const auto* fppi = new std::vector<double>{0.3, 0.4};
  return *fppi;
}

std::vector<MethodScores> ScoreShapeBench(const ShapeDataset& data,
                                          const std::vector<MethodDetections>& runs) {
  std::vector<MethodScores> scores;
  const double jobs = static_cast<double>(data.images.size() * data.classes.size());
  for (const MethodDetections& run : runs) {
    MethodScores s;
    s.name = run.name;
    s.seconds_per_image_model = run.seconds / jobs;
    for (const BenchCriterion& criterion : BenchCriteria()) {
      std::vector<DetectionCurve> curves;
      for (const std::string& klass : data.classes) {
        std::vector<std::vector<cv::Rect2d>> gt(data.images.size());
        for (size_t i = 0; i < data.images.size(); ++i) gt[i] = data.images[i].Boxes(klass);
        const auto found = run.by_class.find(klass);
        curves.push_back(ScoreDetections(
            found == run.by_class.end() ? std::vector<ScoredDetection>() : found->second, gt,
            criterion.min_iou));
      }
      std::vector<std::vector<double>> at;
      for (double f : BenchReportFppi()) {
        std::vector<double> rates;
        double mean = 0;
        for (const DetectionCurve& c : curves) {
          rates.push_back(c.RateAtFppi(f));
          mean += rates.back();
        }
        mean /= static_cast<double>(curves.size());
        rates.push_back(mean);
        at.push_back(std::move(rates));
      }
      s.curves.push_back(std::move(curves));
      s.rates.push_back(std::move(at));
    }
    double ceiling_sum = 0.0;
    for (const std::string& klass : data.classes) {
      const auto found = run.by_class.find(klass);
      int objects = 0, boxed = 0;
      for (size_t i = 0; i < data.images.size(); ++i) {
        for (const cv::Rect2d& truth : data.images[i].Boxes(klass)) {
          ++objects;
          if (found == run.by_class.end()) continue;
          const bool any = std::any_of(
              found->second.begin(), found->second.end(), [&](const ScoredDetection& d) {
                return d.image == static_cast<int>(i) && BoxIou(d.box, truth) >= 0.5;
              });
          if (any) ++boxed;
        }
      }
      s.recall_ceiling.push_back(objects > 0 ? static_cast<double>(boxed) / objects : 0.0);
      ceiling_sum += s.recall_ceiling.back();
    }
    s.recall_ceiling.push_back(ceiling_sum /
                               static_cast<double>(std::max<size_t>(1, data.classes.size())));
    scores.push_back(std::move(s));
  }
  return scores;
}

std::vector<MethodScores> ScoreHalf(const ShapeDataset& data,
                                    const std::vector<MethodDetections>& runs, bool odd) {
  ShapeDataset half = data;
  half.images.clear();
  std::vector<int> new_index(data.images.size(), -1);
  std::map<std::string, int> numbers;  // images of each group so far
  for (size_t i = 0; i < data.images.size(); ++i) {
    const int number = ++numbers[data.images[i].group];
    if ((number % 2 == 1) == odd) {
      new_index[i] = static_cast<int>(half.images.size());
      half.images.push_back(data.images[i]);
    }
  }
  std::vector<MethodDetections> half_runs;
  for (const MethodDetections& run : runs) {
    MethodDetections h;
    h.name = run.name;
    h.seconds = run.seconds * static_cast<double>(half.images.size()) /
                static_cast<double>(std::max<size_t>(1, data.images.size()));
    for (const auto& [klass, detections] : run.by_class) {
      std::vector<ScoredDetection>& kept = h.by_class[klass];
      for (ScoredDetection d : detections) {
        d.image = new_index[static_cast<size_t>(d.image)];
        if (d.image >= 0) kept.push_back(d);
      }
    }
    half_runs.push_back(std::move(h));
  }
  return ScoreShapeBench(half, half_runs);
}

BenchHalves ScoreHalves(const ShapeDataset& data, const std::vector<MethodDetections>& runs) {
  return {ScoreHalf(data, runs, true), ScoreHalf(data, runs, false)};
}

std::string BenchTable(const ShapeDataset& data, const std::vector<MethodScores>& scores,
                       const std::string& edges, const BenchHalves& halves,
                       const std::vector<MethodContours>& contours) {
  std::ostringstream table;
  table << data.name << " " << data.images.size() << " images, " << data.classes.size()
        << " models; detection rate at FPPI (" << edges << " edges)\n";
  char line[256];
  std::snprintf(line, sizeof(line), "%-8s %-9s %-5s", "method", "criterion", "fppi");
  table << line;
  ClassColumns(table, data.classes, 10, "mean");
  for (const MethodScores& s : scores) {
    for (size_t k = 0; k < BenchCriteria().size(); ++k) {
      for (size_t f = 0; f < BenchReportFppi().size(); ++f) {
        std::snprintf(line, sizeof(line), "%-8s %-9s %-5.1f", s.name.c_str(),
                      BenchCriteria()[k].name.c_str(), BenchReportFppi()[f]);
        table << line;
        const std::vector<double>& rates = s.rates[k][f];
        for (size_t c = 0; c < rates.size(); ++c) {
          std::snprintf(line, sizeof(line), c + 1 < rates.size() ? " %10.3f" : " %10.3f\n",
                        rates[c]);
          table << line;
        }
      }
    }
  }
  for (size_t m = 0; m < halves.odd.size() && m < halves.even.size(); ++m) {
    // PASCAL, mean over the classes, at 0.3 and 0.4 FPPI.
    const auto& odd = halves.odd[m].rates[0];
    const auto& even = halves.even[m].rates[0];
    std::snprintf(line, sizeof(line),
                  "%s mean, PASCAL, 0.3 / 0.4 FPPI: odd-numbered images %.3f / %.3f, "
                  "even-numbered %.3f / %.3f\n",
                  halves.odd[m].name.c_str(), odd[0].back(), odd[1].back(), even[0].back(),
                  even[1].back());
    table << line;
  }
  table << "recall ceiling: the share of objects some detection boxes at IoU >= 0.5\n";
  for (const MethodScores& s : scores) {
    std::snprintf(line, sizeof(line), "%-24s", s.name.c_str());
    table << line;
    for (double r : s.recall_ceiling) {
      std::snprintf(line, sizeof(line), " %10.3f", r);
      table << line;
    }
    table << "\n";
  }
  const bool any_contours = std::any_of(contours.begin(), contours.end(), [](const auto& m) {
    return m.has_outline || m.has_fragments;
  });
  if (any_contours) {
    std::snprintf(line, sizeof(line),
                  "contours of correct detections: coverage / precision within %.0f%% of the "
                  "box diagonal (objects)\n%-24s",
                  100 * kContourTolerance, "method");
    table << line;
    ClassColumns(table, data.classes, 18, "all");
    for (const MethodContours& m : contours) {
      for (const bool outline : {true, false}) {
        if (!(outline ? m.has_outline : m.has_fragments)) continue;
        std::snprintf(line, sizeof(line), "%-8s %-15s", m.name.c_str(),
                      outline ? "outline" : "fragments");
        table << line;
        for (const ClassContours& c : m.classes) {
          const ContourMatch& x = outline ? c.outline : c.fragments;
          char cell[64];
          std::snprintf(cell, sizeof(cell), "%.2f / %.2f (%zu)", x.coverage, x.precision,
                        c.cases.size());
          std::snprintf(line, sizeof(line), " %18s", cell);
          table << line;
        }
        table << "\n";
      }
    }
  }
  for (const MethodScores& s : scores) {
    std::snprintf(line, sizeof(line), "%s: %.3f s per image per model\n", s.name.c_str(),
                  s.seconds_per_image_model);
    table << line;
  }
  return table.str();
}

std::string BenchSummaryJson(const ShapeDataset& data, const std::vector<MethodScores>& scores,
                             const std::string& edges, const BenchHalves& halves,
                             const std::vector<MethodContours>& contours) {
  Json summary;
  summary["schema"] = 1;
  summary["images"] = data.images.size();
  summary["root"] = data.root;
  summary["edges"] = edges;
  summary["methods"] = Json::array();
  for (const MethodScores& s : scores) {
    Json jm;
    jm["name"] = s.name;
    jm["seconds_per_image_model"] = s.seconds_per_image_model;
    Json dr;
    for (size_t k = 0; k < BenchCriteria().size(); ++k) {
      Json at;
      for (size_t f = 0; f < BenchReportFppi().size(); ++f) {
        Json per_class;
        for (size_t c = 0; c < data.classes.size(); ++c) {
          per_class[data.classes[c]] = s.rates[k][f][c];
        }
        per_class["mean"] = s.rates[k][f].back();
        at[FppiKey(BenchReportFppi()[f])] = per_class;
      }
      dr[BenchCriteria()[k].name] = at;
    }
    jm["dr"] = dr;
    Json ceiling;
    for (size_t c = 0; c < data.classes.size() && c < s.recall_ceiling.size(); ++c) {
      ceiling[data.classes[c]] = s.recall_ceiling[c];
    }
    if (!s.recall_ceiling.empty()) ceiling["mean"] = s.recall_ceiling.back();
    jm["recall_ceiling"] = ceiling;
    // Contour accuracy: {"tolerance": share of the box diagonal, class: {"objects": n,
    // "outline": {"coverage", "precision"}, "fragments": {...}}, ..., "all": {...}}.
    for (const MethodContours& m : contours) {
      if (m.name != s.name || !(m.has_outline || m.has_fragments)) continue;
      Json jc;
      jc["tolerance"] = kContourTolerance;
      for (size_t c = 0; c < m.classes.size(); ++c) {
        const ClassContours& cc = m.classes[c];
        Json entry;
        entry["objects"] = cc.cases.size();
        if (m.has_outline) {
          entry["outline"] = {{"coverage", cc.outline.coverage},
                              {"precision", cc.outline.precision}};
        }
        if (m.has_fragments) {
          entry["fragments"] = {{"coverage", cc.fragments.coverage},
                                {"precision", cc.fragments.precision}};
        }
        jc[c < data.classes.size() ? data.classes[c] : std::string("all")] = entry;
      }
      jm["contours"] = jc;
    }
    summary["methods"].push_back(jm);
  }
  // The mean rates of each half: {"odd": {method: {criterion: {fppi: mean}}}, "even": ...}.
  for (const auto& [key, half] :
       {std::pair<const char*, const std::vector<MethodScores>*>{"odd", &halves.odd},
        {"even", &halves.even}}) {
    for (const MethodScores& s : *half) {
      for (size_t k = 0; k < BenchCriteria().size(); ++k) {
        for (size_t f = 0; f < BenchReportFppi().size(); ++f) {
          summary["halves"][key][s.name][BenchCriteria()[k].name][FppiKey(BenchReportFppi()[f])] =
              s.rates[k][f].back();
        }
      }
    }
  }
  return Dump(summary, 2);
}

std::string BenchDetectionsJson(const ShapeDataset& data,
                                const std::vector<MethodDetections>& runs) {
  const auto corners = [](const cv::Rect2d& b) {
    return Json{b.x, b.y, b.x + b.width, b.y + b.height};
  };
  Json all;
  all["schema"] = 1;
  all["images"] = Json::array();
  for (const DatasetImage& e : data.images) {
    Json boxes = Json::array();
    for (const cv::Rect2d& b : e.Boxes(e.group)) boxes.push_back(corners(b));
    Json image = {
        {"class", e.group}, {"name", e.name}, {"path", e.image_path}, {"ground_truth", boxes}};
    if (data.is_manifest) {
      Json objects = Json::array();
      for (const DatasetObject& o : e.objects) {
        objects.push_back({{"class", o.klass}, {"box", corners(o.box)}});
      }
      image["objects"] = objects;
    }
    all["images"].push_back(image);
  }
  all["methods"] = Json::array();
  for (const MethodDetections& run : runs) {
    Json list = Json::array();
    for (const std::string& klass : data.classes) {
      const auto found = run.by_class.find(klass);
      if (found == run.by_class.end()) continue;
      for (const ScoredDetection& d : found->second) {
        list.push_back(
            {{"model", klass},
             {"image", d.image},
             {"score", d.score},
             {"box", {d.box.x, d.box.y, d.box.x + d.box.width, d.box.y + d.box.height}}});
      }
    }
    all["methods"].push_back({{"name", run.name}, {"detections", list}});
  }
  return Dump(all, -1);
}

cv::Mat BenchCurves(const ShapeDataset& data, const std::vector<MethodScores>& scores) {
  std::vector<std::string> titles = data.classes;
  titles.emplace_back("mean");
  std::vector<PlotSeries> plot;
  for (const MethodScores& s : scores) {
    PlotSeries series{s.name, s.curves.front()};  // PASCAL
    series.curves.push_back(MeanCurve(s.curves.front()));
    plot.push_back(std::move(series));
  }
  return DrawDetectionCurves(titles, plot);
}

}  // namespace msrf
