#include "msrf/grouping/level_work.h"

#include <cmath>
#include <optional>
#include <string>

#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"

namespace msrf {
namespace {

bool Finite(double v) { return std::isfinite(v); }

bool InImage(cv::Point2f p, cv::Size size) {
  // Level-0 pixel centres are at integers; a coarse level's pixel maps to a little beyond.
  const float margin = 4.0f;
  return Finite(p.x) && Finite(p.y) && p.x >= -margin && p.y >= -margin &&
         p.x <= static_cast<float>(size.width) + margin &&
         p.y <= static_cast<float>(size.height) + margin;
}

Status Bad(const std::string& what) { return DataLossError("malformed level output: " + what); }

}  // namespace

Result<LevelOutput> RunLevelJob(const LevelJob& job) {
  MSRF_ASSIGN_OR_RETURN(LevelFragments level, ProcessImageLevel(job.level, job.fragments));
  return FinishLevelJob(job, std::move(level));
}

LevelOutput FinishLevelJob(const LevelJob& job, LevelFragments level) {
  LevelOutput out;
  out.summary = level.summary;
  out.fragments = std::move(level.fragments);
  for (size_t i = 0; i < out.fragments.size(); ++i) out.fragments[i].id = static_cast<int>(i);
  const Stopwatch watch;
  for (const ShapeModel& model : job.models) {
    out.candidates.push_back(FindCandidates(out.fragments, model, job.image_size, job.candidates));
  }
  out.candidates_ms = watch.Milliseconds();
  return out;
}

Status CheckLevelOutput(const LevelJob& job, const LevelOutput& output) {
  const LevelSummary& s = output.summary;
  if (s.index != job.level.index) {
    return Bad("level " + std::to_string(s.index) + " for a job of level " +
               std::to_string(job.level.index));
  }
  if (s.size != job.level.image.size()) return Bad("the level size differs from the job's");
  if (s.scale != job.level.scale) return Bad("the level scale differs from the job's");
  if (s.fragments != static_cast<int>(output.fragments.size()) || s.chains < 0 ||
      s.edge_pixels < 0 || s.edge_pixels > s.size.area()) {
    return Bad("inconsistent counts");
  }
  const cv::Size size = job.image_size;
  for (size_t i = 0; i < output.fragments.size(); ++i) {
    const Fragment& f = output.fragments[i];
    if (f.id != static_cast<int>(i) || f.level != s.index || f.parent != -1) {
      return Bad("fragment " + std::to_string(i) + " has a wrong id, level or parent");
    }
    if (f.points.empty() || f.resampled.empty() || !Finite(f.length) || f.length < 0) {
      return Bad("fragment " + std::to_string(i) + " is empty or has a bad length");
    }
    for (const auto* pts : {&f.points, &f.resampled}) {
      for (const cv::Point2f& p : *pts) {
        if (!InImage(p, size)) return Bad("fragment " + std::to_string(i) + " leaves the image");
      }
    }
    if (!Finite(f.bbox.x) || !Finite(f.bbox.y) || !Finite(f.bbox.width) || !Finite(f.bbox.height) ||
        f.bbox.width < 0 || f.bbox.height < 0) {
      return Bad("fragment " + std::to_string(i) + " has a bad box");
    }
  }
  if (output.candidates.size() != job.models.size()) {
    return Bad(std::to_string(output.candidates.size()) + " candidate lists for " +
               std::to_string(job.models.size()) + " models");
  }
  for (size_t m = 0; m < job.models.size(); ++m) {
    const int n = static_cast<int>(job.models[m].points.size());
    int previous = -1;
    for (const Candidate& c : output.candidates[m]) {
      if (c.fragment < previous || c.fragment >= static_cast<int>(output.fragments.size())) {
        return Bad("a candidate names a missing fragment or is out of order");
      }
      previous = c.fragment;
      if (c.arc.start < 0 || c.arc.start >= n || c.arc.end < 0 || c.arc.end >= n) {
        return Bad("a candidate's arc leaves the model");
      }
      const Similarity& t = c.transform;
      if (!Finite(t.scale) || !(t.scale > 0) || !Finite(t.angle) || !Finite(t.translation.x) ||
          !Finite(t.translation.y) || !Finite(c.centre.x) || !Finite(c.centre.y) ||
          !(c.quality > 0 && c.quality <= 1) || !(c.arc_fraction > 0 && c.arc_fraction < 1)) {
        return Bad("a candidate has a number out of range");
      }
    }
  }
  return Status::Ok();
}

Result<std::vector<LevelOutput>> LocalLevelExecutor::Run(const std::vector<LevelJob>& jobs) {
  std::vector<std::optional<Result<LevelOutput>>> results(jobs.size());
  ParallelFor(0, jobs.size(), [&](size_t i) { results[i].emplace(RunLevelJob(jobs[i])); });
  std::vector<LevelOutput> out;
  out.reserve(jobs.size());
  for (auto& r : results) {
    if (!r->ok()) return r->status();
    out.push_back(std::move(r->value()));
  }
  ++runs_;
  levels_ += static_cast<int>(jobs.size());
  return out;
}

LevelExecutorReport LocalLevelExecutor::Report() const {
  LevelExecutorReport report;
  report.runs = runs_;
  report.local_levels = levels_;
  return report;
}

Result<MultiscaleLevelWork> RunMultiscaleLevels(const cv::Mat& image, const cv::Mat& edge_strength,
                                                const MultiscaleOptions& fragments,
                                                const CandidateOptions& candidates,
                                                const std::vector<ShapeModel>& models,
                                                LevelExecutor& executor) {
  MultiscaleLevelWork out;
  out.candidates.resize(models.size());
  auto run_levels = [&](std::vector<ImageLevel> built) -> Result<std::vector<LevelFragments>> {
    std::vector<LevelJob> jobs(built.size());
    for (size_t l = 0; l < built.size(); ++l) {
      jobs[l].level = std::move(built[l]);
      jobs[l].fragments = fragments;
      jobs[l].candidates = candidates;
      jobs[l].models = models;
      jobs[l].image_size = image.size();
    }
    MSRF_ASSIGN_OR_RETURN(std::vector<LevelOutput> outputs, executor.Run(jobs));
    if (outputs.size() != jobs.size()) return InternalError("the executor lost level jobs");
    // Fragment ids run over the levels, finest first; candidates follow their fragments.
    std::vector<LevelFragments> levels(outputs.size());
    int first_id = 0;
    for (size_t l = 0; l < outputs.size(); ++l) {
      LevelOutput& level = outputs[l];
      for (size_t m = 0; m < models.size(); ++m) {
        for (Candidate c : level.candidates[m]) {
          c.fragment += first_id;
          out.candidates[m].push_back(c);
        }
      }
      out.candidates_ms += level.candidates_ms;
      first_id += static_cast<int>(level.fragments.size());
      levels[l].summary = level.summary;
      levels[l].fragments = std::move(level.fragments);
    }
    return levels;
  };
  MSRF_ASSIGN_OR_RETURN(out.fragments,
                        ExtractMultiscaleFragments(image, edge_strength, fragments, run_levels));
  return out;
}

}  // namespace msrf
