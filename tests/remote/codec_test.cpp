// The wire format: what a node receives is the job that was sent, bit for bit, and what a
// coordinator accepts is checked.
#include <gtest/gtest.h>

#include <cstring>

#include "codec.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf::remote {
namespace codec_test {  // named: the remote tests are one unity build

LevelJob Job(int index, bool supplied) {
  TargetSceneOptions so;
  so.seed = 21;
  const cv::Mat image = DrawTargetScene(testing::BundledVase().points, so).image;
  cv::Mat strength;
  if (supplied) image.convertTo(strength, CV_32F, 1.0 / 255.0);
  LevelJob job;
  job.fragments = testing::CannyMultiscaleOptions();
  PyramidOptions pyramid;
  job.level =
      BuildImageLevel(image, strength, index, PyramidScales(image.size(), pyramid)[index], pyramid);
  if (supplied) job.fragments.edges.method = EdgeMethod::kSupplied;
  job.candidates.max_rotation_deg = 12.5;
  job.models = {testing::BundledVase(), testing::BundledVase()};
  job.image_size = image.size();
  return job;
}

bool SameMat(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

TEST(Codec, RequestRoundTripIsExact) {
  for (bool supplied : {false, true}) {
    const LevelJob job = Job(1, supplied);
    v1::LevelRequest request;
    EncodeLevelRequest(job, LevelOptionsJson(job.fragments, job.candidates), request);
    auto decoded = DecodeLevelRequest(request, int64_t{1} << 26);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_EQ(decoded->level.index, 1);
    EXPECT_EQ(decoded->level.scale, job.level.scale);
    EXPECT_EQ(decoded->level.base_size, job.level.base_size);
    EXPECT_TRUE(SameMat(decoded->level.image, job.level.image));
    EXPECT_TRUE(SameMat(decoded->level.edge_strength, job.level.edge_strength));
    EXPECT_EQ(LevelOptionsJson(decoded->fragments, decoded->candidates),
              LevelOptionsJson(job.fragments, job.candidates));
    ASSERT_EQ(decoded->models.size(), 2u);
    EXPECT_EQ(decoded->models[0].points, job.models[0].points);
    EXPECT_EQ(decoded->models[0].drawn, job.models[0].drawn);
    EXPECT_EQ(decoded->models[0].parts.size(), job.models[0].parts.size());
    // The decoded job does the same work.
    auto a = RunLevelJob(job);
    auto b = RunLevelJob(*decoded);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->fragments.size(), b->fragments.size());
    ASSERT_EQ(a->candidates[0].size(), b->candidates[0].size());
    for (size_t i = 0; i < a->candidates[0].size(); ++i) {
      EXPECT_EQ(a->candidates[0][i].transform.scale, b->candidates[0][i].transform.scale);
    }
  }
}

TEST(Codec, ReplyRoundTripIsExactAndChecked) {
  const LevelJob job = Job(0, false);
  auto output = RunLevelJob(job);
  ASSERT_TRUE(output.ok());
  ASSERT_FALSE(output->fragments.empty());
  ASSERT_FALSE(output->candidates[0].empty());
  v1::LevelReply reply;
  EncodeLevelReply(*output, reply);
  auto decoded = DecodeLevelReply(reply, job);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->fragments.size(), output->fragments.size());
  for (size_t i = 0; i < output->fragments.size(); ++i) {
    EXPECT_EQ(decoded->fragments[i].points, output->fragments[i].points);
    EXPECT_EQ(decoded->fragments[i].resampled, output->fragments[i].resampled);
    EXPECT_EQ(decoded->fragments[i].length, output->fragments[i].length);
    EXPECT_EQ(decoded->fragments[i].bbox, output->fragments[i].bbox);
  }
  ASSERT_EQ(decoded->candidates.size(), 2u);
  for (size_t i = 0; i < output->candidates[1].size(); ++i) {
    const Candidate& x = output->candidates[1][i];
    const Candidate& y = decoded->candidates[1][i];
    EXPECT_EQ(x.fragment, y.fragment);
    EXPECT_EQ(x.transform.angle, y.transform.angle);
    EXPECT_EQ(x.centre, y.centre);
    EXPECT_EQ(x.quality, y.quality);
  }

  // Spoiled answers are refused, each with a reason.
  auto refused = [&](const std::function<void(v1::LevelReply&)>& spoil) {
    v1::LevelReply bad = reply;
    spoil(bad);
    auto r = DecodeLevelReply(bad, job);
    return !r.ok() && r.status().message().find("malformed") != std::string::npos;
  };
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.set_index(2); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.set_width(r.width() + 1); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.mutable_fragments(0)->set_points(0, NAN); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.mutable_fragments(0)->set_points(1, 1e7f); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.mutable_fragments(0)->add_points(1.0f); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) { r.mutable_candidates()->RemoveLast(); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) {
    r.mutable_candidates(0)->mutable_candidates(0)->set_fragment(1 << 20);
  }));
  EXPECT_TRUE(refused(
      [](v1::LevelReply& r) { r.mutable_candidates(0)->mutable_candidates(0)->set_quality(2.0); }));
  EXPECT_TRUE(refused([](v1::LevelReply& r) {
    r.mutable_candidates(0)->mutable_candidates(0)->set_arc_end(100000);
  }));
}

TEST(Codec, CompactPayloadsAreSmallerAndCloseToExact) {
  for (bool supplied : {false, true}) {
    const LevelJob job = Job(0, supplied);
    const std::string options = LevelOptionsJson(job.fragments, job.candidates);
    v1::LevelRequest exact, compact;
    EncodeLevelRequest(job, options, exact);
    EncodeLevelRequest(job, options, compact, /*compact=*/true);
    EXPECT_LT(compact.ByteSizeLong(), exact.ByteSizeLong() / 2) << "supplied " << supplied;
    auto decoded = DecodeLevelRequest(compact, int64_t{1} << 26);
    ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
    EXPECT_TRUE(SameMat(decoded->level.image, job.level.image));  // PNG is lossless
    if (supplied) {
      double worst = 0;
      cv::minMaxLoc(cv::abs(decoded->level.edge_strength - job.level.edge_strength), nullptr,
                    &worst);
      EXPECT_LE(worst, 0.5 / 65535.0 + 1e-7);
    }
  }
  const LevelJob job = Job(0, false);
  auto output = RunLevelJob(job);
  ASSERT_TRUE(output.ok());
  v1::LevelReply exact, compact;
  EncodeLevelReply(*output, exact);
  EncodeLevelReply(*output, compact, /*compact=*/true);
  EXPECT_LT(compact.ByteSizeLong(), exact.ByteSizeLong() / 2);
  auto decoded = DecodeLevelReply(compact, job);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->fragments.size(), output->fragments.size());
  for (size_t i = 0; i < output->fragments.size(); ++i) {
    ASSERT_EQ(decoded->fragments[i].points.size(), output->fragments[i].points.size());
    for (size_t k = 0; k < output->fragments[i].points.size(); ++k) {
      EXPECT_LE(cv::norm(decoded->fragments[i].points[k] - output->fragments[i].points[k]), 0.045);
    }
  }
  ASSERT_EQ(decoded->candidates[0].size(), output->candidates[0].size());
  EXPECT_NEAR(decoded->candidates[0][0].quality, output->candidates[0][0].quality, 1e-6);
}

TEST(Codec, CompactImagesMustMatchTheirDeclaredSize) {
  const LevelJob job = Job(1, false);
  v1::LevelRequest request;
  EncodeLevelRequest(job, LevelOptionsJson(job.fragments, job.candidates), request, true);
  v1::LevelRequest wrong = request;
  wrong.set_width(request.width() - 1);
  EXPECT_FALSE(DecodeLevelRequest(wrong, int64_t{1} << 26).ok());
  wrong = request;
  wrong.set_image_png("not a png at all, but long enough to have a header");
  EXPECT_FALSE(DecodeLevelRequest(wrong, int64_t{1} << 26).ok());
  wrong = request;
  wrong.set_image(std::string(static_cast<size_t>(request.width() * request.height()), '\0'));
  const auto both = DecodeLevelRequest(wrong, int64_t{1} << 26);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("exactly one"), std::string::npos);
}

TEST(Codec, OptionsParseBackAndRefuseUnknownKeys) {
  MultiscaleOptions f = testing::CannyMultiscaleOptions();
  f.fragments.min_length = 13.25;
  f.edges.canny_high_threshold = 41.5;
  CandidateOptions c;
  c.arc_fractions = {0.1, 0.3};
  const std::string json = LevelOptionsJson(f, c);
  MultiscaleOptions f2 = testing::CannyMultiscaleOptions();
  CandidateOptions c2;
  ASSERT_TRUE(ParseLevelOptions(json, f2, c2).ok());
  EXPECT_EQ(LevelOptionsJson(f2, c2), json);
  EXPECT_EQ(f2.edges.canny_high_threshold, 41.5);
  EXPECT_EQ(OptionsHash(json), OptionsHash(LevelOptionsJson(f2, c2)));
  EXPECT_NE(OptionsHash(json), OptionsHash(LevelOptionsJson(testing::CannyMultiscaleOptions(), c)));
  std::string extra = json;
  extra.insert(extra.find("\"samples\""), "\"novel\":1,");
  const Status s = ParseLevelOptions(extra, f2, c2);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("candidates.novel"), std::string::npos) << s.message();
}

}  // namespace codec_test
}  // namespace msrf::remote
