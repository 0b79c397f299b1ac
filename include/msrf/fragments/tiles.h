// Tiled levels: one large level (typically level 0) split into overlapping tiles that are
// processed independently, so that several edge nodes can work on one level at once, and
// the tiles' outputs merged into the level's fragments.
//
// The merge is exact: it gives the fragments ProcessImageLevel gives on the whole level, to
// the last bit and in the same order. Three things make that so.
//   1. Every tile uses the thresholds of the whole level (PlanTiles computes the automatic
//      Canny threshold once and puts it in the tiles' options).
//   2. A tile returns, for its core, the pixel-local half of edge detection (edge candidates
//      and seeds, see DetectEdgeCandidates), which its margin makes exact. The merge stitches
//      the cores and runs the non-local half on the whole level: hysteresis, thinning and
//      linking, which are linear in the pixels and cheap.
//   3. A tile also links and cuts its own crop and returns the chains that start in its
//      core with their fragments. Cutting is a pure function of a chain's pixels, so where a
//      tile's chain equals the merged level's chain (pixel for pixel), its fragments are the
//      level's; the merge cuts only the others: chains that run out of a tile's crop, or that
//      the crop's border changed.
//
//   msrf::ImageLevel level = msrf::BuildImageLevel(image, {}, 0, 1.0, options.pyramid);
//   msrf::TileOptions tiles;
//   tiles.columns = 2;
//   tiles.rows = 2;
//   auto plan = msrf::PlanTiles(level, options, tiles);
//   std::vector<msrf::TileOutput> outputs;
//   for (const msrf::TileJob& job : *msrf::MakeTileJobs(level, *plan))  // anywhere, at once
//     outputs.push_back(*msrf::RunTileJob(job));
//   auto fragments = msrf::MergeTiles(*plan, outputs);  // == ProcessImageLevel(level, options)
//
// EdgeDrawing cannot be tiled: its edge paths grow across the image, with no pixel-local
// stage to stitch.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"
#include "msrf/fragments/edge_linking.h"
#include "msrf/fragments/fragment.h"
#include "msrf/fragments/multiscale_fragments.h"
#include "msrf/pyramid/pyramid.h"

namespace msrf {

struct TileOptions {
  // The grid: `columns` x `rows` tiles, each in [1, 64]. Both 0: the grid is chosen so that
  // no tile core exceeds `max_core_pixels`, with as few tiles as that allows, as square as
  // possible. Automatic by default, as the right grid depends on the level's size.
  int columns = 0;
  int rows = 0;
  // Most pixels of one tile core when the grid is chosen, >= 4096. Not tuned. Smaller cores
  // make more tiles to spread over nodes, but more margin read twice and more chains that
  // cross a seam, which the merge recuts serially; larger ones leave fewer tiles to spread.
  int max_core_pixels = 512 * 512;
  // Pixels a tile reads beyond its core on each side (clipped at the level's border), in
  // [4, 1024]. Exactness needs only EdgeCandidateReach() of them (2 for Canny); more lets
  // chains that leave a core come out whole in its tile, so the merge reuses their fragments
  // instead of cutting them again, at the price of overlapping work. Not tuned: of the
  // margins measured (docs/fragments.md, "Tiled levels"), 8 left more chains for the merge to
  // recut and 128 fewer, with larger tiles.
  int margin = 32;

  // OK, or an InvalidArgument error naming the first bad field.
  Status Validate() const;
};

struct Tile {
  int index = 0;  // row-major position in the grid
  int column = 0;
  int row = 0;
  cv::Rect core;  // full-level pixels; the cores of a plan partition the level
  cv::Rect crop;  // the core grown by the margin, clipped to the level
};

struct TilePlan {
  int level = 0;
  double scale = 1.0;
  cv::Size level_size;  // the full level's size
  cv::Size base_size;   // level 0's size
  int columns = 0;
  int rows = 0;
  std::vector<Tile> tiles;
  // The options every tile runs with: the caller's, with edges.canny_high_threshold set to
  // the whole level's automatic threshold (Canny) when it was 0.
  MultiscaleOptions options;
  double plan_ms = 0.0;  // mostly the whole level's gradient histogram (Canny)
};

// Plans the tiles of `level` (a whole level, not a crop). An error for invalid options, for
// EdgeDrawing, for a supplied edge method without an edge map, or for a grid with more
// columns or rows than the level has pixels.
Result<TilePlan> PlanTiles(const ImageLevel& level, const MultiscaleOptions& options,
                           const TileOptions& tile_options);

// The part `crop` (full-level pixels, inside the level) of `level`, copied: image and edge
// strength cropped, origin and full_size set.
ImageLevel CropLevel(const ImageLevel& level, cv::Rect crop);

struct TileJob {
  int tile = 0;               // index in TilePlan::tiles
  ImageLevel level;           // the tile's crop (see CropLevel)
  cv::Rect core;              // full-level pixels
  MultiscaleOptions options;  // TilePlan::options
};

// One job per tile of `plan`, in plan order. An error when `level` is not the level the plan
// was made for (index or size differ).
Result<std::vector<TileJob>> MakeTileJobs(const ImageLevel& level, const TilePlan& plan);

// A chain a tile found, with its fragments.
struct TileChain {
  EdgeChain chain;                  // full-level pixels
  std::vector<Fragment> fragments;  // CutChain of `chain` (level-0 coordinates, ids -1)
};

struct TileOutput {
  int tile = 0;
  cv::Rect core;
  // DetectEdgeCandidates on the crop, restricted to the core (CV_8U, the core's size).
  cv::Mat candidates;
  cv::Mat seeds;
  // The crop's chains that start inside the core and keep 3 pixels away from the crop's cut
  // edges (a chain that reaches one may go on beyond it), in the crop's chain order.
  std::vector<TileChain> chains;
  // Of the crop: size, edge pixels, the chains and fragments above, times.
  LevelSummary summary;
  double total_ms = 0.0;
};

// Runs one tile: edge candidates, then hysteresis, thinning, linking and cutting on the crop.
// A pure function of the job.
Result<TileOutput> RunTileJob(const TileJob& job);

struct TileMergeSummary {
  int chains = 0;          // chains of the stitched level
  int reused_chains = 0;   // chains whose fragments a tile had cut
  int recut_chains = 0;    // chains the merge cut (they left a tile's crop whole, or changed)
  double stitch_ms = 0.0;  // copying the cores' candidates and seeds into the level
  double edges_ms = 0.0;   // hysteresis and thinning of the whole level
  double link_ms = 0.0;    // linking the whole level
  double match_ms = 0.0;   // finding each chain among the tiles'
  double cut_ms = 0.0;     // cutting the chains no tile had
  double total_ms = 0.0;
};

// Merges the tiles' outputs (outputs[i] answers plan.tiles[i]) into the level's fragments:
// equal to ProcessImageLevel on the whole level (fragments and summary counts; the summary's
// edges_ms and fragments_ms are the merge's own). An error when an output does not fit the
// plan (wrong count, core or map size).
Result<LevelFragments> MergeTiles(const TilePlan& plan, const std::vector<TileOutput>& outputs,
                                  TileMergeSummary* summary = nullptr);

struct TiledLevelSummary {
  double plan_ms = 0.0;
  std::vector<double> tile_ms;  // each tile's RunTileJob, in plan order
  TileMergeSummary merge;
};

// PlanTiles, RunTileJob on every tile in this process (in parallel, oneTBB), MergeTiles.
Result<LevelFragments> ProcessImageLevelInTiles(const ImageLevel& level,
                                                const MultiscaleOptions& options,
                                                const TileOptions& tile_options,
                                                TiledLevelSummary* summary = nullptr);

}  // namespace msrf
