// Tiles on the wire: a node receives the tile that was sent, a coordinator gets back what the
// node computed (bit for bit in exact mode), and spoiled fields on either side are refused.
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <cstring>
#include <functional>

#include "codec.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf::remote {
namespace tile_codec_test {  // named: the remote tests are one unity build

constexpr int64_t kMaxPixels = int64_t{1} << 26;

struct TiledScene {
  ImageLevel level;
  TilePlan plan;
  std::vector<TileJob> jobs;
  std::string options_json;
};

TiledScene Tiled(bool supplied) {
  TargetSceneOptions so;
  so.seed = 23;
  so.size = {640, 480};
  const cv::Mat image = DrawTargetScene(testing::BundledVase().points, so).image;
  cv::Mat strength;
  if (supplied) image.convertTo(strength, CV_32F, 1.0 / 255.0);
  TiledScene t;
  t.level = BuildImageLevel(image, strength, 0, 1.0, PyramidOptions());
  MultiscaleOptions options = testing::CannyMultiscaleOptions();
  if (supplied) options.edges.method = EdgeMethod::kSupplied;
  TileOptions tiles;
  tiles.columns = 3;
  tiles.rows = 2;
  auto plan = PlanTiles(t.level, options, tiles);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  t.plan = *plan;
  t.jobs = *MakeTileJobs(t.level, t.plan);
  t.options_json = LevelOptionsJson(t.plan.options, CandidateOptions());
  return t;
}

bool SameMat(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

void ExpectSameFragments(const std::vector<Fragment>& a, const std::vector<Fragment>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].level, b[i].level);
    EXPECT_EQ(a[i].points, b[i].points);
    EXPECT_EQ(a[i].resampled, b[i].resampled);
    EXPECT_EQ(a[i].length, b[i].length);
    EXPECT_EQ(a[i].bbox, b[i].bbox);
    EXPECT_EQ(a[i].closed, b[i].closed);
  }
}

TEST(TileCodec, RequestRoundTripIsTheSameTile) {
  for (bool supplied : {false, true}) {
    for (bool compact : {false, true}) {
      const TiledScene t = Tiled(supplied);
      const TileJob& job = t.jobs[4];
      v1::TileRequest request;
      EncodeTileRequest(job, t.options_json, request, compact);
      auto decoded = DecodeTileRequest(request, kMaxPixels);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      EXPECT_EQ(decoded->tile, job.tile);
      EXPECT_EQ(decoded->core, job.core);
      EXPECT_EQ(decoded->level.origin, job.level.origin);
      EXPECT_EQ(decoded->level.full_size, job.level.full_size);
      EXPECT_EQ(decoded->level.base_size, job.level.base_size);
      EXPECT_TRUE(SameMat(decoded->level.image, job.level.image));
      EXPECT_EQ(decoded->options.edges.canny_high_threshold,
                t.plan.options.edges.canny_high_threshold);
      if (supplied && !compact) {
        EXPECT_TRUE(SameMat(decoded->level.edge_strength, job.level.edge_strength));
      }
      if (!compact) {
        // The node does the work the coordinator would.
        auto a = RunTileJob(job);
        auto b = RunTileJob(*decoded);
        ASSERT_TRUE(a.ok() && b.ok());
        EXPECT_TRUE(SameMat(a->candidates, b->candidates));
        EXPECT_EQ(a->chains.size(), b->chains.size());
      }
    }
  }
}

TEST(TileCodec, ExactRepliesMergeIntoTheUntiledLevel) {
  for (bool supplied : {false, true}) {
    const TiledScene t = Tiled(supplied);
    std::vector<TileOutput> decoded;
    size_t bytes = 0;
    for (const TileJob& job : t.jobs) {
      auto output = RunTileJob(job);
      ASSERT_TRUE(output.ok());
      v1::TileReply reply;
      EncodeTileReply(*output, reply);
      bytes += reply.ByteSizeLong();
      auto back = DecodeTileReply(reply, job);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(SameMat(back->candidates, output->candidates));
      EXPECT_TRUE(SameMat(back->seeds, output->seeds));
      ASSERT_EQ(back->chains.size(), output->chains.size());
      for (size_t i = 0; i < output->chains.size(); ++i) {
        EXPECT_EQ(back->chains[i].chain.points, output->chains[i].chain.points);
        EXPECT_EQ(back->chains[i].chain.closed, output->chains[i].chain.closed);
        ExpectSameFragments(back->chains[i].fragments, output->chains[i].fragments);
      }
      EXPECT_EQ(back->summary.edge_pixels, output->summary.edge_pixels);
      decoded.push_back(std::move(back).value());
    }
    // Far less than the image itself: the maps take two bits a pixel.
    EXPECT_LT(bytes, t.level.image.total());
    TileMergeSummary merge;
    auto merged = MergeTiles(t.plan, decoded, &merge);
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    auto whole = ProcessImageLevel(t.level, t.plan.options);
    ASSERT_TRUE(whole.ok());
    // (The image as its own edge strength makes one chain of everything.)
    EXPECT_TRUE(supplied || merge.reused_chains > 0);
    EXPECT_EQ(merged->summary.edge_pixels, whole->summary.edge_pixels);
    EXPECT_EQ(merged->summary.chains, whole->summary.chains);
    ExpectSameFragments(merged->fragments, whole->fragments);
  }
}

TEST(TileCodec, CompactRepliesKeepMapsAndChainsExact) {
  const TiledScene t = Tiled(false);
  const TileJob& job = t.jobs[1];
  auto output = RunTileJob(job);
  ASSERT_TRUE(output.ok());
  ASSERT_FALSE(output->chains.empty());
  v1::TileReply exact, compact;
  EncodeTileReply(*output, exact);
  EncodeTileReply(*output, compact, /*compact=*/true);
  EXPECT_LT(compact.ByteSizeLong(), exact.ByteSizeLong());
  auto back = DecodeTileReply(compact, job);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(SameMat(back->candidates, output->candidates));
  EXPECT_TRUE(SameMat(back->seeds, output->seeds));
  ASSERT_EQ(back->chains.size(), output->chains.size());
  for (size_t i = 0; i < output->chains.size(); ++i) {
    EXPECT_EQ(back->chains[i].chain.points, output->chains[i].chain.points);
    const auto& f = back->chains[i].fragments;
    const auto& g = output->chains[i].fragments;
    ASSERT_EQ(f.size(), g.size());
    for (size_t k = 0; k < f.size(); ++k) {
      ASSERT_EQ(f[k].points.size(), g[k].points.size());
      for (size_t p = 0; p < f[k].points.size(); ++p) {
        EXPECT_LE(cv::norm(f[k].points[p] - g[k].points[p]), 0.045);
      }
    }
  }
}

TEST(TileCodec, SpoiledRepliesAreRefused) {
  const TiledScene t = Tiled(false);
  const TileJob& job = t.jobs[4];  // an inner tile: its crop is cut on every side
  auto output = RunTileJob(job);
  ASSERT_TRUE(output.ok());
  ASSERT_FALSE(output->chains.empty());
  v1::TileReply exact, compact;
  EncodeTileReply(*output, exact);
  EncodeTileReply(*output, compact, true);
  auto refused = [&](const v1::TileReply& good, const std::function<void(v1::TileReply&)>& spoil) {
    v1::TileReply bad = good;
    spoil(bad);
    auto r = DecodeTileReply(bad, job);
    return !r.ok() && r.status().message().find("malformed tile output") != std::string::npos;
  };
  const std::vector<std::pair<const char*, std::function<void(v1::TileReply&)>>> cases = {
      {"another tile", [](auto& r) { r.set_tile(r.tile() + 1); }},
      {"another level", [](auto& r) { r.set_index(1); }},
      {"another core", [](auto& r) { r.set_core_width(r.core_width() - 1); }},
      {"another crop size", [](auto& r) { r.set_height(r.height() + 1); }},
      {"edge pixels beyond the crop", [](auto& r) { r.set_edge_pixels(1 << 30); }},
      {"NaN time", [](auto& r) { r.set_edges_ms(std::nan("")); }},
      {"bit map short", [](auto& r) { r.mutable_candidate_bits()->pop_back(); }},
      {"no seed map", [](auto& r) { r.clear_seed_bits(); }},
      {"a seed that is no candidate",
       [](auto& r) { r.set_candidate_bits(std::string(r.candidate_bits().size(), '\0')); }},
      {"maps twice", [](auto& r) { r.set_edges_png("\x89PNG"); }},
      {"chain not 8-connected", [](auto& r) { r.mutable_chains(0)->set_points(2, 5); }},
      {"chain leaving the crop", [](auto& r) { r.mutable_chains(0)->set_points(0, -3); }},
      {"chain starting outside the core",
       [&](auto& r) { r.mutable_chains(0)->set_points(0, job.level.origin.x); }},
      {"chain with an odd coordinate count", [](auto& r) { r.mutable_chains(0)->add_points(1); }},
      {"empty chain", [](auto& r) { r.mutable_chains(0)->clear_points(); }},
      {"NaN fragment point",
       [](auto& r) {
         for (auto& c : *r.mutable_chains()) {
           if (c.fragments_size() > 0) {
             c.mutable_fragments(0)->set_points(0, std::nanf(""));
             return;
           }
         }
       }},
      {"fragment far outside the image",
       [](auto& r) {
         for (auto& c : *r.mutable_chains()) {
           if (c.fragments_size() > 0) {
             c.mutable_fragments(0)->set_resampled(1, 1e7f);
             return;
           }
         }
       }},
  };
  for (const auto& [what, spoil] : cases) EXPECT_TRUE(refused(exact, spoil)) << what;
  EXPECT_TRUE(refused(
      compact, [](auto& r) { r.set_edges_png("not a png, but long enough to have a header"); }));
  EXPECT_TRUE(refused(compact, [&](auto& r) {
    cv::Mat wrong(job.core.size(), CV_8UC1, cv::Scalar(3));
    std::vector<uchar> png;
    cv::imencode(".png", wrong, png);
    r.set_edges_png(std::string(png.begin(), png.end()));
  }));
  EXPECT_TRUE(refused(compact, [&](auto& r) {
    cv::Mat wrong(job.core.height + 1, job.core.width, CV_8UC1, cv::Scalar(0));
    std::vector<uchar> png;
    cv::imencode(".png", wrong, png);
    r.set_edges_png(std::string(png.begin(), png.end()));
  }));
}

TEST(TileCodec, SpoiledRequestsAreRefusedNamingTheField) {
  const TiledScene t = Tiled(false);
  v1::TileRequest good;
  EncodeTileRequest(t.jobs[4], t.options_json, good);
  ASSERT_TRUE(DecodeTileRequest(good, kMaxPixels).ok());
  const std::vector<std::pair<const char*, std::function<void(v1::TileRequest&)>>> cases = {
      {"negative tile", [](auto& r) { r.set_tile(-1); }},
      {"crop beyond the level", [](auto& r) { r.set_crop_x(r.level_width() - 10); }},
      {"negative crop origin", [](auto& r) { r.set_crop_y(-1); }},
      {"level larger than its base", [](auto& r) { r.set_level_width(r.crop().base_width() + 1); }},
      {"empty level", [](auto& r) { r.set_level_height(0); }},
      {"core outside the crop", [](auto& r) { r.set_core_x(r.crop_x() - 1); }},
      {"core beyond the crop", [](auto& r) { r.set_core_height(r.crop().height() + 1); }},
      {"empty core", [](auto& r) { r.set_core_width(0); }},
      {"a model",
       [](auto& r) {
         LevelJob job;
         job.fragments = testing::CannyMultiscaleOptions();
         job.level = BuildImageLevel(cv::Mat(32, 32, CV_8UC1, cv::Scalar(0)), cv::Mat(), 0, 1.0,
                                     PyramidOptions());
         job.models = {testing::BundledVase()};
         v1::LevelRequest with_model;
         EncodeLevelRequest(job, r.crop().options_json(), with_model);
         *r.mutable_crop()->add_models() = with_model.models(0);
       }},
      {"image bytes short", [](auto& r) { r.mutable_crop()->mutable_image()->pop_back(); }},
      {"no Canny threshold",
       [](auto& r) {
         MultiscaleOptions f = testing::CannyMultiscaleOptions();
         const std::string json = LevelOptionsJson(f, CandidateOptions());
         r.mutable_crop()->set_options_json(json);
         r.mutable_crop()->set_options_hash(OptionsHash(json));
       }},
      {"edges that cannot be tiled",
       [](auto& r) {
         MultiscaleOptions f = testing::CannyMultiscaleOptions();
         f.edges.method = EdgeMethod::kEdgeDrawing;
         const std::string json = LevelOptionsJson(f, CandidateOptions());
         r.mutable_crop()->set_options_json(json);
         r.mutable_crop()->set_options_hash(OptionsHash(json));
       }},
  };
  for (const auto& [what, spoil] : cases) {
    v1::TileRequest bad = good;
    spoil(bad);
    auto r = DecodeTileRequest(bad, kMaxPixels);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument)
        << what << ": " << r.status().ToString();
  }
}

}  // namespace tile_codec_test
}  // namespace msrf::remote
