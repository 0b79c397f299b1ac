// The per-level work of a detection, and the executors that run it.
//
// Detect splits into work per pyramid level (edge map, linking, fragments, and the
// candidates, the unaries, of the level's fragments) and work across levels (trees, append,
// inference), which stays with the caller. A level job is a pure function of its inputs and
// the build: any executor, local or remote, gives the same bytes.
//
//   msrf::LocalLevelExecutor local;                     // oneTBB, in this process
//   msrf::Detect(image, model, options, edges, local);  // what Detect() does by default
//   msrf::RunMultiscaleLevels(image, edges, options.fragments, {}, {}, local);  // fragments
//
// msrf/remote/remote_executor.h runs the same jobs on edge nodes.
#pragma once

#include <opencv2/core.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/grouping/candidates.h"
#include "msrf/pyramid/pyramid.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

struct LevelJob {
  ImageLevel level;             // built by the caller (BuildImageLevel)
  MultiscaleOptions fragments;  // pyramid options are not used; edges and fragments are
  CandidateOptions candidates;
  std::vector<ShapeModel> models;  // candidates are found for each; may be empty
  cv::Size image_size;             // level 0's size, which bounds the object size
};

struct LevelOutput {
  LevelSummary summary;
  // Fragments of the level; fragments[i].id == i (the caller renumbers them).
  std::vector<Fragment> fragments;
  // candidates[m]: the candidates of every fragment for models[m], ordered by fragment, then
  // quality; Candidate::fragment indexes `fragments`.
  std::vector<std::vector<Candidate>> candidates;
  double candidates_ms = 0.0;
};

// Runs one level job in this process.
Result<LevelOutput> RunLevelJob(const LevelJob& job);

// The second half of RunLevelJob: numbers `level`'s fragments and finds their candidates
// for the job's models. RunLevelJob(job) is FinishLevelJob(job, ProcessImageLevel(...)); a
// level whose fragments came from elsewhere (merged tiles) gets the same candidates.
LevelOutput FinishLevelJob(const LevelJob& job, LevelFragments level);

// OK when `output` is a well-formed answer to `job`: the level and sizes match, every number
// is finite, points lie in the image, and candidates name existing fragments and model
// points. A remote answer that fails this is not used.
Status CheckLevelOutput(const LevelJob& job, const LevelOutput& output);

// One edge node's share of an executor's work, and its figures as last estimated.
struct LevelNodeReport {
  std::string address;
  double latency_ms = 0.0;    // round trip of an empty call; 0 until calibrated
  double bytes_per_ms = 0.0;  // link bandwidth; 0 until calibrated
  double work_per_ms = 0.0;   // level pixels per millisecond; 0 until calibrated
  int levels_done = 0;        // levels this node answered
  int tiles_done = 0;         // tiles of tiled levels this node answered
  int levels_failed = 0;      // calls that failed and were rerun elsewhere
  bool benched = false;       // waiting for its health check to pass
  bool disabled = false;      // refused us (credentials, build); not tried again
  std::string last_error;
};

// What an executor has done since it was made, for a person to read.
struct LevelExecutorReport {
  int runs = 0;          // calls of Run that succeeded
  int local_levels = 0;  // levels run in this process
  int local_tiles = 0;   // tiles of tiled levels run in this process
  // Runs whose plan (which level goes where) differed from the previous run's.
  int replans = 0;
  int64_t bytes_sent = 0;  // request bytes to nodes, reruns included
  int64_t bytes_received = 0;
  std::vector<LevelNodeReport> nodes;  // empty for an executor without nodes
};

class LevelExecutor {
 public:
  virtual ~LevelExecutor() = default;
  // Runs every job; the result's element i answers jobs[i]. An error is returned only when a
  // job itself is bad (a local run would fail too), never because a worker failed.
  virtual Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) = 0;
  // Where the work of the runs so far went. An executor that keeps no account reports
  // nothing.
  virtual LevelExecutorReport Report() const { return {}; }
};

// Runs the jobs in this process, in parallel with oneTBB.
class LocalLevelExecutor final : public LevelExecutor {
 public:
  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override;
  LevelExecutorReport Report() const override;

 private:
  std::atomic<int> runs_{0};
  std::atomic<int> levels_{0};
};

// The multiscale pipeline (ExtractMultiscaleFragments) with the level work run by
// `executor`: one job per pyramid level, each finding its fragments' candidates for
// `models` (none: fragments only). The fragments are those of ExtractMultiscaleFragments
// with the same options, wherever the levels ran.
struct MultiscaleLevelWork {
  MultiscaleFragments fragments;
  // candidates[m]: the candidates of every fragment for models[m], levels finest first, then
  // as each level gave them; Candidate::fragment indexes fragments.fragments.
  std::vector<std::vector<Candidate>> candidates;
  double candidates_ms = 0.0;  // finding them, summed over the levels
};

Result<MultiscaleLevelWork> RunMultiscaleLevels(const cv::Mat& image, const cv::Mat& edge_strength,
                                                const MultiscaleOptions& fragments,
                                                const CandidateOptions& candidates,
                                                const std::vector<ShapeModel>& models,
                                                LevelExecutor& executor);

}  // namespace msrf
