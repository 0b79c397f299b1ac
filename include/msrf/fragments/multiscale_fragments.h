// The pyramid builder's whole job: image -> pyramid levels -> edge maps -> chains ->
// fragments per level -> trees across levels.
//
// Levels are processed in parallel (oneTBB); the output does not depend on the thread
// count. Level work (ProcessImageLevel) is a pure function of its inputs, the unit an
// executor can run anywhere: ExtractMultiscaleFragments takes how to run it, and
// msrf/grouping/level_work.h (RunMultiscaleLevels) runs it through a LevelExecutor, local or
// on edge nodes, the same pipeline Detect uses.
#pragma once

#include <opencv2/core.hpp>

#include <functional>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/fragment.h"
#include "msrf/fragments/trees.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/pyramid/pyramid.h"

namespace msrf {

// No defaults of its own: each stage's, with its reasons, is in the stage's header.
struct MultiscaleOptions {
  PyramidOptions pyramid;
  EdgeOptions edges;
  FragmentOptions fragments;
  TreeOptions trees;

  Status Validate() const;
};

struct LevelSummary {
  int index = 0;
  double scale = 1.0;
  cv::Size size;
  int edge_pixels = 0;
  int chains = 0;
  int fragments = 0;
  double pyramid_ms = 0.0;    // building this level's image
  double edges_ms = 0.0;      // edge detection
  double fragments_ms = 0.0;  // linking and cutting
};

// The fragments of one level, with ids not yet assigned.
struct LevelFragments {
  LevelSummary summary;
  std::vector<Fragment> fragments;
};

struct MultiscaleFragments {
  cv::Size image_size;
  std::vector<LevelSummary> levels;
  // All levels, finest first; fragments[i].id == i.
  std::vector<Fragment> fragments;
  double boundaries_ms = 0.0;  // the forest's boundary map (EdgeMethod::kForest), else 0
  double trees_ms = 0.0;
  double total_ms = 0.0;
};

// Runs the level work for level `index` of relative size `scale`: BuildImageLevel, then
// ProcessImageLevel.
Result<LevelFragments> ProcessLevel(const cv::Mat& image, const cv::Mat& edge_strength, int index,
                                    double scale, const MultiscaleOptions& options);

// The level work on a built level: edge map, linking, fragments (in level-0 coordinates,
// ids not assigned). A pure function of `level` and `options`; summary.pyramid_ms is 0.
// `level` may be a crop (ImageLevel::origin, full_size): its fragments are placed where they
// lie in the full level, and summary.size is the crop's size.
Result<LevelFragments> ProcessImageLevel(const ImageLevel& level, const MultiscaleOptions& options);

// The affine map from pixels of the full level `level` is (a crop of) to level-0 pixels:
// x0 = (x + 0.5) * sx - 0.5 with sx = base_size.width / full width, likewise for y.
cv::Matx23d FullLevelToLevel0(const ImageLevel& level);

// Cuts every chain (in pixels of the full level, not of a crop) into fragments, in parallel;
// element i holds the fragments of chains[i], as CutChain gives them.
std::vector<std::vector<Fragment>> CutChains(const std::vector<EdgeChain>& chains, int level,
                                             double level_scale, const cv::Matx23d& to_level0,
                                             const FragmentOptions& options);

// OK when `image` and `edge_strength` are inputs ExtractMultiscaleFragments accepts under
// `options` (see there), or an error saying what is wrong.
Status CheckMultiscaleInputs(const cv::Mat& image, const cv::Mat& edge_strength,
                             const MultiscaleOptions& options);

// Joins the levels' fragments (finest first) into one list with ids, and links the trees.
// `levels[l]` is level l, built at `scales[l]`.
MultiscaleFragments AssembleLevels(std::vector<LevelFragments> levels, cv::Size image_size,
                                   const std::vector<double>& scales, const TreeOptions& options);

// Does the level work of built levels (levels[l] is level l): ProcessImageLevel on each, in
// this process or elsewhere; element l of the result is level l's.
using LevelWorkRunner =
    std::function<Result<std::vector<LevelFragments>>(std::vector<ImageLevel> levels)>;

// The multiscale pipeline: checks the inputs (CheckMultiscaleInputs), builds the levels in
// parallel, has `run_levels` do their level work, and assembles them (AssembleLevels).
// summary.pyramid_ms is the time each level took to build, here.
Result<MultiscaleFragments> ExtractMultiscaleFragments(const cv::Mat& image,
                                                       const cv::Mat& edge_strength,
                                                       const MultiscaleOptions& options,
                                                       const LevelWorkRunner& run_levels);

// The pipeline with the level work in this process, in parallel (oneTBB).
// `image`: 8-bit gray, BGR or BGRA. `edge_strength`: empty, or (when
// options.edges.method is kSupplied) CV_32F in [0, 1] the size of `image` (see
// EdgeStrengthFromMap).
Result<MultiscaleFragments> ExtractMultiscaleFragments(const cv::Mat& image,
                                                       const cv::Mat& edge_strength,
                                                       const MultiscaleOptions& options);

}  // namespace msrf
