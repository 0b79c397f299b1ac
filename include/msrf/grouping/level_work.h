// The per-level work of a detection, and the executors that run it.
//
// Detect splits into work per pyramid level (edge map, linking, fragments, and the
// candidates, the unaries, of the level's fragments) and work across levels (trees, append,
// inference), which stays with the caller. A level job is a pure function of its inputs and
// the build: any executor, local or remote, gives the same bytes.
//
//   msrf::LocalLevelExecutor local;                     // oneTBB, in this process
//   msrf::Detect(image, model, options, edges, local);  // what Detect() does by default
//
// msrf/remote/remote_executor.h runs the same jobs on edge nodes.
#pragma once

#include <opencv2/core.hpp>

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

class LevelExecutor {
 public:
  virtual ~LevelExecutor() = default;
  // Runs every job; the result's element i answers jobs[i]. An error is returned only when a
  // job itself is bad (a local run would fail too), never because a worker failed.
  virtual Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) = 0;
};

// Runs the jobs in this process, in parallel with oneTBB.
class LocalLevelExecutor final : public LevelExecutor {
 public:
  Result<std::vector<LevelOutput>> Run(const std::vector<LevelJob>& jobs) override;
};

}  // namespace msrf
