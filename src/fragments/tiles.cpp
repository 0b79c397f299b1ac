#include "msrf/fragments/tiles.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf {
namespace {

// Boundaries of `parts` near-equal pieces of [0, length).
std::vector<int> Cuts(int length, int parts) {
  std::vector<int> cuts;
  for (int i = 0; i <= parts; ++i) {
    cuts.push_back(static_cast<int>(static_cast<int64_t>(length) * i / parts));
  }
  return cuts;
}

int CeilDiv(int a, int b) { return (a + b - 1) / b; }

// The grid with the fewest tiles whose cores have at most `max_pixels`; of equal counts, the
// one with the squarest cores.
cv::Size ChooseGrid(cv::Size size, int max_pixels) {
  for (int n = 1; n <= 64 * 64; ++n) {
    cv::Size best;
    double best_aspect = 0.0;
    for (int columns = 1; columns <= std::min(n, 64); ++columns) {
      if (n % columns != 0 || n / columns > 64) continue;
      const int rows = n / columns;
      if (columns > size.width || rows > size.height) continue;
      const int w = CeilDiv(size.width, columns), h = CeilDiv(size.height, rows);
      if (static_cast<int64_t>(w) * h > max_pixels) continue;
      const double aspect = static_cast<double>(std::max(w, h)) / std::min(w, h);
      if (best.empty() || aspect < best_aspect) {
        best = {columns, rows};
        best_aspect = aspect;
      }
    }
    if (!best.empty()) return best;
  }
  return {std::min(64, size.width), std::min(64, size.height)};
}

uint64_t ChainKey(const std::vector<cv::Point>& points) {
  auto pack = [](cv::Point p) {
    return (static_cast<uint64_t>(static_cast<uint32_t>(p.y)) << 16) ^
           static_cast<uint64_t>(static_cast<uint32_t>(p.x));
  };
  const uint64_t a = pack(points[0]);
  const uint64_t b = points.size() > 1 ? pack(points[1]) : 0;
  return (a << 32) ^ b ^ (static_cast<uint64_t>(points.size()) * 0x9E3779B97F4A7C15ULL);
}

Status BadOutput(size_t i, const std::string& what) {
  return InvalidArgumentError("tile output " + std::to_string(i) + " " + what);
}

}  // namespace

Status TileOptions::Validate() const {
  const bool automatic = columns == 0 && rows == 0;
  if (!automatic && (columns < 1 || columns > 64)) {
    return InvalidArgumentError("tiles.columns must be in [1, 64] (or 0 with rows 0), got " +
                                std::to_string(columns));
  }
  if (!automatic && (rows < 1 || rows > 64)) {
    return InvalidArgumentError("tiles.rows must be in [1, 64] (or 0 with columns 0), got " +
                                std::to_string(rows));
  }
  if (max_core_pixels < 4096) {
    return InvalidArgumentError("tiles.max_core_pixels must be >= 4096, got " +
                                std::to_string(max_core_pixels));
  }
  if (margin < 4 || margin > 1024) {
    return InvalidArgumentError("tiles.margin must be in [4, 1024], got " + std::to_string(margin));
  }
  return Status::Ok();
}

Result<TilePlan> PlanTiles(const ImageLevel& level, const MultiscaleOptions& options,
                           const TileOptions& tile_options) {
  Stopwatch start;
  MSRF_RETURN_IF_ERROR(options.Validate());
  MSRF_RETURN_IF_ERROR(tile_options.Validate());
  if (level.image.empty() || level.image.type() != CV_8UC1) {
    return InvalidArgumentError("a tiled level needs an 8-bit gray level image");
  }
  if (level.origin != cv::Point(0, 0) || FullLevelSize(level) != level.image.size()) {
    return InvalidArgumentError("a crop of a level cannot be tiled again");
  }
  if (EdgeCandidateReach(options.edges.method) < 0) {
    return InvalidArgumentError(std::string("edges.method '") +
                                EdgeMethodName(options.edges.method) +
                                "' cannot be tiled (use forest, canny or supplied)");
  }
  if (UsesStrengthMap(options.edges.method) &&
      (level.edge_strength.empty() || level.edge_strength.size() != level.image.size())) {
    return FailedPreconditionError(std::string("the ") + EdgeMethodName(options.edges.method) +
                                   " edge method needs a strength map the size of the level "
                                   "image");
  }
  const cv::Size size = level.image.size();
  const cv::Size grid = tile_options.columns > 0 ? cv::Size(tile_options.columns, tile_options.rows)
                                                 : ChooseGrid(size, tile_options.max_core_pixels);
  if (grid.width > size.width || grid.height > size.height) {
    return InvalidArgumentError("a " + std::to_string(grid.width) + "x" +
                                std::to_string(grid.height) + " grid does not fit a " +
                                std::to_string(size.width) + "x" + std::to_string(size.height) +
                                " level");
  }

  TilePlan plan;
  plan.level = level.index;
  plan.scale = level.scale;
  plan.level_size = size;
  plan.base_size = level.base_size;
  plan.columns = grid.width;
  plan.rows = grid.height;
  plan.options = options;
  if (options.edges.method == EdgeMethod::kCanny && options.edges.canny_high_threshold <= 0.0) {
    plan.options.edges.canny_high_threshold = CannyHighThreshold(level.image, options.edges);
  }
  const std::vector<int> xs = Cuts(size.width, grid.width), ys = Cuts(size.height, grid.height);
  const cv::Rect whole(cv::Point(0, 0), size);
  const int m = tile_options.margin;
  for (int r = 0; r < grid.height; ++r) {
    for (int c = 0; c < grid.width; ++c) {
      Tile t;
      t.index = static_cast<int>(plan.tiles.size());
      t.column = c;
      t.row = r;
      t.core = cv::Rect(cv::Point(xs[c], ys[r]), cv::Point(xs[c + 1], ys[r + 1]));
      t.crop =
          cv::Rect(t.core.x - m, t.core.y - m, t.core.width + 2 * m, t.core.height + 2 * m) & whole;
      plan.tiles.push_back(t);
    }
  }
  plan.plan_ms = start.Milliseconds();
  return plan;
}

ImageLevel CropLevel(const ImageLevel& level, cv::Rect crop) {
  ImageLevel out;
  out.index = level.index;
  out.scale = level.scale;
  out.base_size = level.base_size;
  out.full_size = FullLevelSize(level);
  out.origin = level.origin + crop.tl();
  out.image = level.image(crop).clone();
  if (!level.edge_strength.empty()) out.edge_strength = level.edge_strength(crop).clone();
  return out;
}

Result<std::vector<TileJob>> MakeTileJobs(const ImageLevel& level, const TilePlan& plan) {
  if (level.index != plan.level || level.image.size() != plan.level_size ||
      level.origin != cv::Point(0, 0) ||
      (!level.edge_strength.empty() && level.edge_strength.size() != level.image.size())) {
    return InvalidArgumentError("the level is not the one the tiles were planned for");
  }
  std::vector<TileJob> jobs;
  jobs.reserve(plan.tiles.size());
  for (const Tile& t : plan.tiles) {
    TileJob job;
    job.tile = t.index;
    job.level = CropLevel(level, t.crop);
    job.core = t.core;
    job.options = plan.options;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Result<TileOutput> RunTileJob(const TileJob& job) {
  Stopwatch start;
  const ImageLevel& level = job.level;
  const cv::Rect crop(level.origin, level.image.size());
  if ((job.core & crop) != job.core || job.core.empty()) {
    return InvalidArgumentError("the tile's core is not inside its crop");
  }
  TileOutput out;
  out.tile = job.tile;
  out.core = job.core;
  LevelSummary& summary = out.summary;
  summary.index = level.index;
  summary.scale = level.scale;
  summary.size = level.image.size();

  MSRF_ASSIGN_OR_RETURN(EdgeCandidates candidates, DetectEdgeCandidates(level, job.options.edges));
  const cv::Mat edges = ThinEdges(HysteresisEdges(candidates.candidates, candidates.seeds));
  const cv::Rect core_in_crop(job.core.tl() - level.origin, job.core.size());
  out.candidates = candidates.candidates(core_in_crop).clone();
  out.seeds = candidates.seeds(core_in_crop).clone();
  summary.edge_pixels = cv::countNonZero(edges);
  summary.edges_ms = start.Milliseconds();

  Stopwatch link_start;
  // A chain that comes within a few pixels of a cut edge of the crop may go on beyond it, or
  // be changed by it: the merge would not find it whole, so it is neither cut nor sent.
  const cv::Size full = FullLevelSize(level);
  constexpr int kGuard = 3;
  const cv::Rect safe(crop.x == 0 ? 0 : crop.x + kGuard, crop.y == 0 ? 0 : crop.y + kGuard, 0, 0);
  const cv::Point safe_end(crop.br().x == full.width ? full.width : crop.br().x - kGuard,
                           crop.br().y == full.height ? full.height : crop.br().y - kGuard);
  const cv::Rect inside(safe.tl(), safe_end);
  std::vector<EdgeChain> chains;
  for (EdgeChain& chain : LinkEdges(edges)) {
    for (cv::Point& p : chain.points) p += level.origin;
    if (!job.core.contains(chain.points.front())) continue;
    bool whole = true;
    for (const cv::Point& p : chain.points) whole = whole && inside.contains(p);
    if (whole) chains.push_back(std::move(chain));
  }
  std::vector<std::vector<Fragment>> pieces =
      CutChains(chains, level.index, level.scale, FullLevelToLevel0(level), job.options.fragments);
  out.chains.reserve(chains.size());
  for (size_t i = 0; i < chains.size(); ++i) {
    summary.fragments += static_cast<int>(pieces[i].size());
    out.chains.push_back({std::move(chains[i]), std::move(pieces[i])});
  }
  summary.chains = static_cast<int>(out.chains.size());
  summary.fragments_ms = link_start.Milliseconds();
  out.total_ms = start.Milliseconds();
  return out;
}

Result<LevelFragments> MergeTiles(const TilePlan& plan, const std::vector<TileOutput>& outputs,
                                  TileMergeSummary* summary) {
  Stopwatch start;
  TileMergeSummary s;
  if (outputs.size() != plan.tiles.size()) {
    return InvalidArgumentError(std::to_string(outputs.size()) + " tile outputs for " +
                                std::to_string(plan.tiles.size()) + " tiles");
  }
  cv::Mat candidates = cv::Mat(plan.level_size, CV_8U, cv::Scalar(0));
  cv::Mat seeds = cv::Mat(plan.level_size, CV_8U, cv::Scalar(0));
  for (size_t i = 0; i < outputs.size(); ++i) {
    const TileOutput& o = outputs[i];
    const cv::Rect core = plan.tiles[i].core;
    if (o.core != core) return BadOutput(i, "is for another core");
    if (o.candidates.type() != CV_8UC1 || o.seeds.type() != CV_8UC1 ||
        o.candidates.size() != core.size() || o.seeds.size() != core.size()) {
      return BadOutput(i, "has candidate or seed maps of the wrong size or type");
    }
    o.candidates.copyTo(candidates(core));
    o.seeds.copyTo(seeds(core));
  }
  s.stitch_ms = start.Milliseconds();

  Stopwatch t;
  LevelFragments out;
  out.summary.index = plan.level;
  out.summary.scale = plan.scale;
  out.summary.size = plan.level_size;
  const cv::Mat edges = ThinEdges(HysteresisEdges(candidates, seeds));
  out.summary.edge_pixels = cv::countNonZero(edges);
  s.edges_ms = t.Milliseconds();

  t.Restart();
  const std::vector<EdgeChain> chains = LinkEdges(edges);
  s.chains = out.summary.chains = static_cast<int>(chains.size());
  s.link_ms = t.Milliseconds();

  // Each level chain is looked up among the tiles' by its first two pixels and length, and
  // taken only when it is the same chain pixel for pixel.
  t.Restart();
  std::unordered_map<uint64_t, std::vector<const TileChain*>> by_key;
  for (const TileOutput& o : outputs) {
    for (const TileChain& c : o.chains) {
      if (!c.chain.points.empty()) by_key[ChainKey(c.chain.points)].push_back(&c);
    }
  }
  std::vector<const TileChain*> found(chains.size(), nullptr);
  std::vector<EdgeChain> missing;
  std::vector<size_t> missing_at;
  for (size_t i = 0; i < chains.size(); ++i) {
    const auto it = by_key.find(ChainKey(chains[i].points));
    if (it != by_key.end()) {
      for (const TileChain* c : it->second) {
        if (c->chain.closed == chains[i].closed && c->chain.points == chains[i].points) {
          found[i] = c;
          break;
        }
      }
    }
    if (found[i] == nullptr) {
      missing.push_back(chains[i]);
      missing_at.push_back(i);
    }
  }
  s.reused_chains = static_cast<int>(chains.size() - missing.size());
  s.recut_chains = static_cast<int>(missing.size());
  s.match_ms = t.Milliseconds();

  t.Restart();
  ImageLevel geometry;
  geometry.base_size = plan.base_size;
  geometry.full_size = plan.level_size;
  // Few chains and long ones (they crossed the cores): one task each.
  const cv::Matx23d to_level0 = FullLevelToLevel0(geometry);
  std::vector<std::vector<Fragment>> recut(missing.size());
  ParallelFor(0, missing.size(), [&](size_t i) {
    recut[i] = CutChain(missing[i], plan.level, plan.scale, to_level0, plan.options.fragments);
  });
  s.cut_ms = t.Milliseconds();

  size_t next_missing = 0;
  for (size_t i = 0; i < chains.size(); ++i) {
    if (found[i] != nullptr) {
      out.fragments.insert(out.fragments.end(), found[i]->fragments.begin(),
                           found[i]->fragments.end());
    } else {
      for (Fragment& f : recut[next_missing]) out.fragments.push_back(std::move(f));
      ++next_missing;
    }
  }
  out.summary.fragments = static_cast<int>(out.fragments.size());
  out.summary.edges_ms = s.stitch_ms + s.edges_ms;
  out.summary.fragments_ms = s.link_ms + s.match_ms + s.cut_ms;
  s.total_ms = start.Milliseconds();
  if (summary != nullptr) *summary = s;
  return out;
}

Result<LevelFragments> ProcessImageLevelInTiles(const ImageLevel& level,
                                                const MultiscaleOptions& options,
                                                const TileOptions& tile_options,
                                                TiledLevelSummary* summary) {
  MSRF_ASSIGN_OR_RETURN(TilePlan plan, PlanTiles(level, options, tile_options));
  MSRF_ASSIGN_OR_RETURN(const std::vector<TileJob> jobs, MakeTileJobs(level, plan));
  std::vector<std::optional<Result<TileOutput>>> results(jobs.size());
  ParallelFor(0, jobs.size(), [&](size_t i) { results[i].emplace(RunTileJob(jobs[i])); });
  std::vector<TileOutput> outputs;
  TiledLevelSummary s;
  s.plan_ms = plan.plan_ms;
  for (auto& r : results) {
    if (!r->ok()) return r->status();
    s.tile_ms.push_back(r->value().total_ms);
    outputs.push_back(std::move(r->value()));
  }
  MSRF_ASSIGN_OR_RETURN(LevelFragments out, MergeTiles(plan, outputs, &s.merge));
  if (summary != nullptr) *summary = std::move(s);
  return out;
}

}  // namespace msrf
