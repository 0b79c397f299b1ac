#include "msrf/fragments/multiscale_fragments.h"

#include <optional>

#include "msrf/boundaries/boundaries.h"
#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/fragments/edge_linking.h"

namespace msrf {

Status MultiscaleOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(pyramid.Validate());
  MSRF_RETURN_IF_ERROR(edges.Validate());
  MSRF_RETURN_IF_ERROR(fragments.Validate());
  MSRF_RETURN_IF_ERROR(trees.Validate());
  return Status::Ok();
}

Result<LevelFragments> ProcessLevel(const cv::Mat& image, const cv::Mat& edge_strength, int index,
                                    double scale, const MultiscaleOptions& options) {
  Stopwatch start;
  const ImageLevel level = BuildImageLevel(image, edge_strength, index, scale, options.pyramid);
  const double pyramid_ms = start.Milliseconds();
  MSRF_ASSIGN_OR_RETURN(LevelFragments out, ProcessImageLevel(level, options));
  out.summary.pyramid_ms = pyramid_ms;
  return out;
}

cv::Matx23d FullLevelToLevel0(const ImageLevel& level) {
  const cv::Size full = FullLevelSize(level);
  const double sx = static_cast<double>(level.base_size.width) / full.width;
  const double sy = static_cast<double>(level.base_size.height) / full.height;
  // Pixel centres: x0 = (x + 0.5) * sx - 0.5.
  return cv::Matx23d(sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5);
}

std::vector<std::vector<Fragment>> CutChains(const std::vector<EdgeChain>& chains, int level,
                                             double level_scale, const cv::Matx23d& to_level0,
                                             const FragmentOptions& options) {
  // Chains are cut in parallel; gathering them in chain order keeps the output independent
  // of the schedule.
  std::vector<std::vector<Fragment>> pieces(chains.size());
  ParallelFor(0, chains.size(), 32, [&](size_t i) {
    pieces[i] = CutChain(chains[i], level, level_scale, to_level0, options);
  });
  return pieces;
}

Result<LevelFragments> ProcessImageLevel(const ImageLevel& level,
                                         const MultiscaleOptions& options) {
  LevelFragments out;
  LevelSummary& summary = out.summary;
  summary.index = level.index;
  summary.scale = level.scale;
  summary.size = level.image.size();

  Stopwatch start;
  MSRF_ASSIGN_OR_RETURN(std::unique_ptr<EdgeDetector> detector,
                        EdgeDetector::Create(options.edges));
  MSRF_ASSIGN_OR_RETURN(cv::Mat edges, detector->Detect(level));
  summary.edge_pixels = cv::countNonZero(edges);
  summary.edges_ms = start.Milliseconds();

  start.Restart();
  std::vector<EdgeChain> chains = LinkEdges(edges);
  summary.chains = static_cast<int>(chains.size());
  // A crop's chains move to the full level's pixels before they are cut, so that a chain
  // a crop shares with the whole level gives the same fragments to the last bit.
  if (level.origin != cv::Point(0, 0)) {
    for (EdgeChain& chain : chains) {
      for (cv::Point& p : chain.points) p += level.origin;
    }
  }
  std::vector<std::vector<Fragment>> pieces =
      CutChains(chains, level.index, level.scale, FullLevelToLevel0(level), options.fragments);
  for (std::vector<Fragment>& chain_pieces : pieces) {
    for (Fragment& f : chain_pieces) out.fragments.push_back(std::move(f));
  }
  summary.fragments = static_cast<int>(out.fragments.size());
  summary.fragments_ms = start.Milliseconds();
  return out;
}

Status CheckMultiscaleInputs(const cv::Mat& image, const cv::Mat& edge_strength,
                             const MultiscaleOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  if (image.empty()) return InvalidArgumentError("the image is empty");
  if (image.depth() != CV_8U ||
      (image.channels() != 1 && image.channels() != 3 && image.channels() != 4)) {
    return InvalidArgumentError("the image must be 8-bit gray, BGR or BGRA");
  }
  const bool supplied = options.edges.method == EdgeMethod::kSupplied;
  if (supplied && edge_strength.empty()) {
    return FailedPreconditionError("edges.method is 'supplied' but no edge map was given");
  }
  if (!supplied && !edge_strength.empty()) {
    return FailedPreconditionError("an edge map was given but edges.method is '" +
                                   std::string(EdgeMethodName(options.edges.method)) + "'");
  }
  if (supplied) {
    if (edge_strength.size() != image.size()) {
      return FailedPreconditionError("the edge map is " + std::to_string(edge_strength.cols) + "x" +
                                     std::to_string(edge_strength.rows) + " but the image is " +
                                     std::to_string(image.cols) + "x" + std::to_string(image.rows));
    }
    if (edge_strength.type() != CV_32FC1) {
      return InvalidArgumentError("the edge strength must be CV_32FC1 (see EdgeStrengthFromMap)");
    }
  }
  return Status::Ok();
}

MultiscaleFragments AssembleLevels(std::vector<LevelFragments> levels, cv::Size image_size,
                                   const std::vector<double>& scales, const TreeOptions& options) {
  MultiscaleFragments out;
  out.image_size = image_size;
  for (LevelFragments& level : levels) {
    for (Fragment& f : level.fragments) {
      f.id = static_cast<int>(out.fragments.size());
      out.fragments.push_back(std::move(f));
    }
    out.levels.push_back(level.summary);
  }
  Stopwatch start;
  LinkAcrossLevels(out.fragments, scales, options);
  out.trees_ms = start.Milliseconds();
  return out;
}

Result<MultiscaleFragments> ExtractMultiscaleFragments(const cv::Mat& image,
                                                       const cv::Mat& edge_strength,
                                                       const MultiscaleOptions& options,
                                                       const LevelWorkRunner& run_levels) {
  Stopwatch start;
  MSRF_RETURN_IF_ERROR(CheckMultiscaleInputs(image, edge_strength, options));
  // The forest's map is found once, on the whole photo, and carried down the pyramid as a
  // supplied map is: every level then holds the boundaries people would draw at full
  // resolution, and the level jobs (local or remote) get it with their level.
  cv::Mat strength = edge_strength;
  double boundaries_ms = 0.0;
  if (options.edges.method == EdgeMethod::kForest) {
    Stopwatch t;
    BoundaryOptions boundary_options;
    boundary_options.forest_scales = options.edges.forest_scales;
    MSRF_ASSIGN_OR_RETURN(BoundaryMap map, DetectBoundaries(image, boundary_options));
    strength = map.strength;
    boundaries_ms = t.Milliseconds();
  }
  const std::vector<double> scales = PyramidScales(image.size(), options.pyramid);
  std::vector<ImageLevel> built(scales.size());
  std::vector<double> pyramid_ms(scales.size());
  ParallelFor(0, scales.size(), [&](size_t l) {
    Stopwatch t;
    built[l] = BuildImageLevel(image, strength, static_cast<int>(l), scales[l], options.pyramid);
    pyramid_ms[l] = t.Milliseconds();
  });
  MSRF_ASSIGN_OR_RETURN(std::vector<LevelFragments> levels, run_levels(std::move(built)));
  if (levels.size() != scales.size()) return InternalError("the level work lost levels");
  for (size_t l = 0; l < levels.size(); ++l) levels[l].summary.pyramid_ms = pyramid_ms[l];
  MultiscaleFragments out = AssembleLevels(std::move(levels), image.size(), scales, options.trees);
  out.boundaries_ms = boundaries_ms;
  out.total_ms = start.Milliseconds();
  return out;
}

Result<MultiscaleFragments> ExtractMultiscaleFragments(const cv::Mat& image,
                                                       const cv::Mat& edge_strength,
                                                       const MultiscaleOptions& options) {
  auto run_here = [&options](std::vector<ImageLevel> built) -> Result<std::vector<LevelFragments>> {
    std::vector<std::optional<Result<LevelFragments>>> results(built.size());
    ParallelFor(0, built.size(),
                [&](size_t l) { results[l].emplace(ProcessImageLevel(built[l], options)); });
    std::vector<LevelFragments> levels;
    for (auto& level : results) {
      if (!level->ok()) return level->status();
      levels.push_back(std::move(level->value()));
    }
    return levels;
  };
  return ExtractMultiscaleFragments(image, edge_strength, options, run_here);
}

}  // namespace msrf
