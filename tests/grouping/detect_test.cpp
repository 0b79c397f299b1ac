#include "msrf/grouping/detect.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <functional>

#include "msrf/core/parallel.h"
#include "msrf/io/detections_io.h"
#include "msrf/io/model_io.h"
#include "msrf/synth/scene.h"
#include "support/test_support.h"

namespace msrf {
namespace {

// 50 seeded scenes: the vase at a random place and scale (0.5x to 2x), its outline broken
// in three places and partly hidden, among clutter curves and distractor polygons. Each
// scene also has a twin with the same clutter and no vase.
// The default edges, msrf's boundary forest, on the same drawn scenes: learned on photos, it
// finds the drawn outline less exactly than Canny, and still in most scenes.
TEST(Detect, WithItsOwnBoundariesFindsTheTargetInMostSyntheticScenes) {
  const ShapeModel model = testing::BundledVase();
  constexpr int kScenes = 20;
  int hits = 0;
  for (int seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = static_cast<uint64_t>(seed);
    const TargetScene scene = DrawTargetScene(model.points, so);
    auto r = Detect(scene.image, model, DetectOptions());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    hits += !r->detections.empty() && BoxIou(r->detections[0].box, scene.box) >= 0.5;
  }
  EXPECT_GE(hits, kScenes * 7 / 10);
}

TEST(Detect, FindsTheTargetInNineOfTenSyntheticScenes) {
  const ShapeModel model = testing::BundledVase();
  const DetectOptions options = testing::CannyDetectOptions();
  constexpr int kScenes = 50;
  int hits = 0;
  std::vector<double> true_scores, negative_scores;
  for (int seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = static_cast<uint64_t>(seed);
    const TargetScene scene = DrawTargetScene(model.points, so);
    auto r = Detect(scene.image, model, options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (!r->detections.empty() && BoxIou(r->detections[0].box, scene.box) >= 0.5) {
      ++hits;
      true_scores.push_back(r->detections[0].score);
    }
    so.draw_target = false;
    const TargetScene negative = DrawTargetScene(model.points, so);
    auto n = Detect(negative.image, model, options);
    ASSERT_TRUE(n.ok());
    negative_scores.push_back(n->detections.empty() ? 0.0 : n->detections[0].score);
  }
  EXPECT_GE(hits, kScenes * 9 / 10);
  ASSERT_FALSE(true_scores.empty());
  std::sort(true_scores.begin(), true_scores.end());
  std::sort(negative_scores.begin(), negative_scores.end());
  const double typical_true = true_scores[true_scores.size() / 2];
  const double typical_negative = negative_scores[negative_scores.size() / 2];
  // Measured (default options): median true score 0.51, median best score without the
  // target 0.28 (margin 0.24). The margin asserted leaves room for small changes.
  EXPECT_GT(typical_true - typical_negative, 0.12)
      << "median true " << typical_true << ", median negative " << typical_negative;
  EXPECT_LT(typical_negative, typical_true);
}

class DetectDeterminism : public ::testing::TestWithParam<SolverKind> {};

TEST_P(DetectDeterminism, SameJsonForOneAndTwoThreads) {
  const ShapeModel model = testing::BundledVase();
  TargetSceneOptions so;
  so.seed = 4;
  const TargetScene scene = DrawTargetScene(model.points, so);
  DetectOptions options = testing::CannyDetectOptions();
  options.solver = GetParam();
  options.seed = 11;
  DetectionsJsonOptions json;
  json.include_timing = false;
  std::string outputs[2];
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    auto r = Detect(scene.image, model, options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_FALSE(r->detections.empty());
    EXPECT_GE(BoxIou(r->detections[0].box, scene.box), 0.5) << SolverKindName(GetParam());
    outputs[threads - 1] = DetectionsToJson(*r, model, options, scene.image.size(), json);
  }
  EXPECT_EQ(outputs[0], outputs[1]);
}

INSTANTIATE_TEST_SUITE_P(Solvers, DetectDeterminism,
                         ::testing::Values(SolverKind::kRelaxation, SolverKind::kMcmc,
                                           SolverKind::kIcm),
                         [](const auto& param_info) {
                           return std::string(SolverKindName(param_info.param));
                         });

// Several models in one pass: per model, what Detect gives with that model alone, on 1 and 2
// threads, with MCMC (seeded per hypothesis, numbered per model) and the mirror image on.
TEST(DetectModels, GivesPerModelWhatDetectGivesWithThatModelAlone) {
  const ShapeModel vase = testing::BundledVase();
  auto boot = ShapeModelFromPolygon({{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}});
  ASSERT_TRUE(boot.ok());
  boot->name = "boot";
  const std::vector<ShapeModel> models = {vase, *boot, vase};  // a model twice: two answers
  TargetSceneOptions so;
  so.seed = 5;
  const TargetScene scene = DrawTargetScene(vase.points, so);
  DetectOptions options = testing::CannyDetectOptions();
  options.solver = SolverKind::kMcmc;
  options.mirror = true;
  options.seed = 7;
  DetectionsJsonOptions json;
  json.include_timing = false;
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    auto pass = DetectModels(scene.image, models, options);
    ASSERT_TRUE(pass.ok()) << pass.status().ToString();
    ASSERT_EQ(pass->models.size(), models.size());
    int hypotheses = 0;
    for (size_t m = 0; m < models.size(); ++m) {
      auto alone = Detect(scene.image, models[m], options);
      ASSERT_TRUE(alone.ok()) << alone.status().ToString();
      Detections as_one;
      as_one.detections = pass->models[m].detections;
      as_one.fragments = pass->fragments;
      as_one.summary = pass->models[m].summary;
      EXPECT_EQ(DetectionsToJson(as_one, models[m], options, scene.image.size(), json),
                DetectionsToJson(*alone, models[m], options, scene.image.size(), json))
          << "model " << m << ", " << threads << " thread(s)";
      hypotheses += pass->models[m].summary.num_hypotheses;
    }
    EXPECT_EQ(pass->summary.num_hypotheses, hypotheses);
    ASSERT_FALSE(pass->models[0].detections.empty());
    EXPECT_GE(BoxIou(pass->models[0].detections[0].box, scene.box), 0.5);
  }
  EXPECT_FALSE(DetectModels(scene.image, {}, options).ok());
}

// An asymmetric shape drawn mirrored is found only when the mirror image is searched too.
TEST(Detect, FindsAMirroredTargetWithMirrorOn) {
  std::vector<cv::Point2d> boot = {{0, 0}, {30, 0}, {30, 60}, {80, 70}, {80, 100}, {0, 100}};
  auto model = ShapeModelFromPolygon(boot);
  ASSERT_TRUE(model.ok());
  std::vector<cv::Point2d> flipped;
  for (const cv::Point2d& p : boot) flipped.emplace_back(-p.x, p.y);
  int found_plain = 0, found_mirror = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    const TargetScene scene = DrawTargetScene(flipped, so);
    DetectOptions o = testing::CannyDetectOptions();
    auto plain = Detect(scene.image, *model, o);
    o.mirror = true;
    auto mirrored = Detect(scene.image, *model, o);
    ASSERT_TRUE(plain.ok() && mirrored.ok());
    found_plain += !plain->detections.empty() && plain->detections[0].score > 0.4 &&
                   BoxIou(plain->detections[0].box, scene.box) >= 0.5;
    if (!mirrored->detections.empty() && BoxIou(mirrored->detections[0].box, scene.box) >= 0.5) {
      ++found_mirror;
      EXPECT_TRUE(mirrored->detections[0].mirrored);
    }
  }
  EXPECT_GE(found_mirror, 4);  // of 6
  EXPECT_LT(found_plain, found_mirror) << found_plain << " without the mirror";
}

// The vase drawn 25% wider than the model: refining the placement with a stretch boxes it
// better than the similarity fitted to the grouped fragments alone.
TEST(Detect, StretchesThePlacementToAWiderTarget) {
  const ShapeModel model = testing::BundledVase();
  std::vector<cv::Point2d> wide;
  for (const cv::Point2d& p : model.points) wide.emplace_back(1.25 * p.x, p.y);
  DetectOptions rigid = testing::CannyDetectOptions();
  rigid.stretches = {1.0};  // the refinement's stretch alone, from the drawn model
  rigid.verify.refine_rounds = 0;
  rigid.verify.warp_grid = 0;
  rigid.verify.deform_rounds = 0;
  // The refinement alone: the surround term picks among near-duplicate placements of the
  // same vase, some refined from a narrower start than others.
  rigid.verify.surround_weight = 0.0;
  DetectOptions refined = testing::CannyDetectOptions();
  refined.stretches = {1.0};
  refined.verify.surround_weight = 0.0;
  double iou_rigid = 0, iou_refined = 0;
  double stretch = 0;
  constexpr int kScenes = 6;
  for (uint64_t seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    so.min_scale = 0.9;
    so.max_scale = 1.5;
    const TargetScene scene = DrawTargetScene(wide, so);
    auto a = Detect(scene.image, model, rigid);
    auto b = Detect(scene.image, model, refined);
    ASSERT_TRUE(a.ok() && b.ok());
    if (!a->detections.empty()) iou_rigid += BoxIou(a->detections[0].box, scene.box);
    if (!b->detections.empty()) {
      iou_refined += BoxIou(b->detections[0].box, scene.box);
      // The vase is 1.25x wider than the model: a stretch k (x by k, y by 1/k) of 1.12.
      EXPECT_GT(b->detections[0].stretch, 1.02) << "seed " << seed;
      stretch += b->detections[0].stretch;
      EXPECT_EQ(b->detections[0].outline.size(), model.points.size());
    }
  }
  EXPECT_GT(stretch / kScenes, 1.05);
  EXPECT_GT(iou_refined, iou_rigid + 0.03 * kScenes)
      << iou_refined / kScenes << " vs " << iou_rigid / kScenes;
  EXPECT_GT(iou_refined / kScenes, 0.8);
}

// The vase drawn 1.9 times wider than the model (its aspect ratio x 1.9, 1.38 x wider and
// 1.38 x lower), beyond what refining the pose stretches it by (verify.max_stretch, 1.3: an
// aspect up to 1.69 x): searched stretched too, it is boxed in more scenes, and the stretch
// the detection reports is the wide one.
TEST(Detect, FindsATargetWiderThanThePoseStretchesWithStretchedModels) {
  const ShapeModel model = testing::BundledVase();
  const double k = std::sqrt(1.9);
  std::vector<cv::Point2d> wide;
  for (const cv::Point2d& p : model.points) wide.emplace_back(k * p.x, p.y / k);
  DetectOptions drawn = testing::CannyDetectOptions();
  drawn.stretches = {1.0};
  DetectOptions stretched = testing::CannyDetectOptions();
  stretched.stretches = {1.0 / 1.3, 1.0, 1.3};
  int found_drawn = 0, found_stretched = 0;
  constexpr int kScenes = 6;
  for (uint64_t seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    so.min_scale = 1.0;
    so.max_scale = 1.5;
    const TargetScene scene = DrawTargetScene(wide, so);
    auto a = Detect(scene.image, model, drawn);
    auto b = Detect(scene.image, model, stretched);
    ASSERT_TRUE(a.ok() && b.ok());
    found_drawn += !a->detections.empty() && BoxIou(a->detections[0].box, scene.box) >= 0.7;
    if (!b->detections.empty() && BoxIou(b->detections[0].box, scene.box) >= 0.7) {
      ++found_stretched;
      EXPECT_GT(b->detections[0].stretch, 1.2) << "seed " << seed;
      EXPECT_EQ(b->detections[0].outline.size(), model.points.size());
    }
  }
  // Scenes 1 and 2 break the outline where neither finds it; each of the others only the
  // stretched search boxes.
  EXPECT_GE(found_stretched, 3);  // of 6
  EXPECT_GE(found_stretched, found_drawn + 2) << found_drawn << " with the model as drawn";
}

// The top detections of two option sets on the same six generated scenes of `object`
// (scaled 1.2-1.6, unoccluded, turned by up to max_rotation_deg): their summed supports and
// box IoUs, and in how many scenes both found something (`each` sees those pairs).
struct TopDetections {
  double support[2] = {0, 0};
  double iou[2] = {0, 0};
  int both_found = 0;
};
constexpr int kCompareScenes = 6;
TopDetections CompareTopDetections(
    const std::vector<cv::Point2d>& object, const ShapeModel& model, const DetectOptions& first,
    const DetectOptions& second, double max_rotation_deg,
    const std::function<void(const Detection&, const Detection&, uint64_t)>& each = {}) {
  TopDetections sums;
  for (uint64_t seed = 1; seed <= kCompareScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    so.min_scale = 1.2;
    so.max_scale = 1.6;
    so.occlusion = 0.0;
    so.max_rotation_deg = max_rotation_deg;
    const TargetScene scene = DrawTargetScene(object, so);
    const Result<Detections> runs[2] = {Detect(scene.image, model, first),
                                        Detect(scene.image, model, second)};
    for (int k = 0; k < 2; ++k) {
      EXPECT_TRUE(runs[k].ok()) << runs[k].status().ToString();
      if (!runs[k].ok() || runs[k]->detections.empty()) continue;
      sums.support[k] += runs[k]->detections[0].support;
      sums.iou[k] += BoxIou(runs[k]->detections[0].box, scene.box);
    }
    if (runs[0].ok() && runs[1].ok() && !runs[0]->detections.empty() &&
        !runs[1]->detections.empty()) {
      ++sums.both_found;
      if (each) each(runs[0]->detections[0], runs[1]->detections[0], seed);
    }
  }
  return sums;
}

// A neck that leans 20% of the object's size further than the drawing's: the bounded bend
// (at most 10%) cannot follow it; the free-form warp moves the neck's two sides together and
// the outline lies on the object's contours again.
TEST(Detect, WarpFollowsAPartThatSwings) {
  const std::vector<cv::Point2d> drawing = {{0, -100}, {24, -100}, {24, 0},
                                            {110, 0},  {110, 50},  {0, 50}};
  const std::vector<cv::Point2d> object = {{-30, -100}, {-6, -100}, {24, 0},
                                           {110, 0},    {110, 50},  {0, 50}};
  auto model = ShapeModelFromPolygon(drawing);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  DetectOptions warped = testing::CannyDetectOptions();
  warped.verify.max_limb_turn_deg = 0.0;  // the warp alone
  DetectOptions bent = warped;
  bent.verify.warp_grid = 0;
  const TopDetections t =
      CompareTopDetections(object, *model, warped, bent, TargetSceneOptions().max_rotation_deg);
  EXPECT_GT(t.support[0], t.support[1] + 0.05 * kCompareScenes)
      << t.support[0] / kCompareScenes << " vs " << t.support[1] / kCompareScenes;
  EXPECT_GT(t.iou[0], t.iou[1]) << t.iou[0] / kCompareScenes << " vs " << t.iou[1] / kCompareScenes;
}

// A neck raised 30 degrees further than the drawing's about its base: its head lies 28% of
// the object's size away, beyond the warp's radius. The neck is the model's limb; it turns
// counter-clockwise by 10-20 degrees (its bound), the warp following the rest, and the
// outline lies on the object again.
TEST(Detect, LimbTurnsWithANeckRaisedBeyondTheWarp) {
  const std::vector<cv::Point2d> drawing = {{0, -100}, {24, -100}, {24, 0},
                                            {180, 0},  {180, 60},  {0, 60}};
  std::vector<cv::Point2d> object = {{0, -100}, {24, -100}, {24, 0}, {180, 0},
                                     {180, 60}, {0, 60},    {0, 0}};
  const double angle = -30.0 * CV_PI / 180.0;
  for (int i : {0, 1}) {
    const cv::Point2d d = object[static_cast<size_t>(i)] - cv::Point2d(12, 0);
    object[static_cast<size_t>(i)] = cv::Point2d(12 + std::cos(angle) * d.x - std::sin(angle) * d.y,
                                                 std::sin(angle) * d.x + std::cos(angle) * d.y);
  }
  auto model = ShapeModelFromPolygon(drawing);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  DetectOptions turned = testing::CannyDetectOptions();
  DetectOptions fixed = turned;
  fixed.verify.max_limb_turn_deg = 0.0;
  const TopDetections t =
      CompareTopDetections(object, *model, turned, fixed, 0.0,
                           [](const Detection& a, const Detection& b, uint64_t seed) {
                             EXPECT_EQ(b.limb_turn_deg, 0.0) << "seed " << seed;
                             EXPECT_LE(a.limb_turn_deg, -10.0) << "seed " << seed;
                             EXPECT_GE(a.limb_turn_deg, -20.0) << "seed " << seed;
                           });
  EXPECT_EQ(t.both_found, kCompareScenes);
  EXPECT_GT(t.support[0], t.support[1] + 0.05 * kCompareScenes)
      << t.support[0] / kCompareScenes << " vs " << t.support[1] / kCompareScenes;
  EXPECT_GT(t.iou[0], t.iou[1]) << t.iou[0] / kCompareScenes << " vs " << t.iou[1] / kCompareScenes;
}

// A drawing cut off by its frame (bottom edge not drawn) of an object whose sides go on
// 30% further: the box follows the sides past the cut.
TEST(Detect, BoxFollowsTheContoursPastACutDrawing) {
  const std::vector<cv::Point2d> drawing = {{0, 0},  {20, -10}, {40, -10},
                                            {60, 0}, {60, 100}, {0, 100}};
  auto model = ShapeModelFromPolygon(drawing, std::vector<uint8_t>{1, 1, 1, 1, 0, 1});
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::vector<cv::Point2d> object = {{0, 0},  {20, -10}, {40, -10},
                                           {60, 0}, {60, 140}, {0, 140}};
  DetectOptions cut = testing::CannyDetectOptions();
  // The longer sides must not be reached by stretching.
  cut.verify.max_stretch = 1.0;
  cut.stretches = {1.0};
  DetectOptions uncut = cut;
  uncut.verify.cut_extension = 0.0;
  int longer = 0;
  double iou_cut = 0, iou_uncut = 0;
  constexpr int kScenes = 5;
  for (uint64_t seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    so.num_breaks = 0;
    so.occlusion = 0.0;
    so.min_scale = 1.0;
    so.max_scale = 1.6;
    const TargetScene scene = DrawTargetScene(object, so);
    auto a = Detect(scene.image, *model, cut);
    auto b = Detect(scene.image, *model, uncut);
    ASSERT_TRUE(a.ok() && b.ok());
    if (a->detections.empty() || b->detections.empty()) continue;
    const cv::Rect2d& box_cut = a->detections[0].box;
    const cv::Rect2d& box_uncut = b->detections[0].box;
    longer += box_cut.height > 1.15 * box_uncut.height;
    iou_cut += BoxIou(box_cut, scene.box);
    iou_uncut += BoxIou(box_uncut, scene.box);
  }
  EXPECT_GE(longer, kScenes - 1);
  EXPECT_GT(iou_cut, iou_uncut + 0.05 * kScenes)
      << iou_cut / kScenes << " vs " << iou_uncut / kScenes;
}

// The same vase on a clean ground and ringed by short strokes just outside it: the ring
// raises the surround and lowers the score, and the box stays on the vase.
TEST(Detect, ClutterJustOutsideTheOutlineLowersTheScore) {
  const ShapeModel model = testing::BundledVase();
  const DetectOptions options = testing::CannyDetectOptions();
  constexpr int kScenes = 4;
  for (uint64_t seed = 1; seed <= kScenes; ++seed) {
    TargetSceneOptions so;
    so.seed = seed;
    so.num_breaks = 0;
    so.occlusion = 0.0;
    so.num_clutter_curves = 0;
    so.num_distractors = 0;
    so.min_scale = 1.2;
    so.max_scale = 1.4;
    const TargetScene clean = DrawTargetScene(model.points, so);
    cv::Mat ringed = clean.image.clone();
    const double size = std::max(clean.box.width, clean.box.height);
    const cv::Rect2d outer(clean.box.x - 0.14 * size, clean.box.y - 0.14 * size,
                           clean.box.width + 0.28 * size, clean.box.height + 0.28 * size);
    const cv::Rect2d inner(clean.box.x - 0.09 * size, clean.box.y - 0.09 * size,
                           clean.box.width + 0.18 * size, clean.box.height + 0.18 * size);
    for (double x = outer.x; x < outer.br().x; x += 6) {
      for (double y = outer.y; y < outer.br().y; y += 0.05 * size) {
        const cv::Point2d a(x, y), b(x + 2, y + 0.035 * size);
        if (inner.contains(a) || inner.contains(b)) continue;
        cv::line(ringed, a, b, cv::Scalar(30), 2, cv::LINE_AA);
      }
    }
    auto a = Detect(clean.image, model, options);
    auto b = Detect(ringed, model, options);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_FALSE(a->detections.empty());
    ASSERT_FALSE(b->detections.empty());
    const Detection& on_clean = a->detections[0];
    const Detection& on_ringed = b->detections[0];
    EXPECT_GE(BoxIou(on_clean.box, clean.box), 0.5) << "seed " << seed;
    EXPECT_GE(BoxIou(on_ringed.box, clean.box), 0.5) << "seed " << seed;
    EXPECT_LT(on_clean.surround, 0.05) << "seed " << seed;
    EXPECT_GT(on_ringed.surround, on_clean.surround + 0.08)
        << "seed " << seed << ": " << on_ringed.surround << " vs " << on_clean.surround;
    EXPECT_LT(on_ringed.score, on_clean.score) << "seed " << seed;
  }
}

TEST(Detect, ReportsNoDetectionInAFlatImage) {
  auto r = Detect(cv::Mat(200, 200, CV_8UC1, cv::Scalar(90)), testing::BundledVase(),
                  testing::CannyDetectOptions());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->detections.empty());
}

TEST(Detect, RefusesBadInputs) {
  EXPECT_FALSE(Detect(cv::Mat(), testing::BundledVase(), testing::CannyDetectOptions()).ok());
  DetectOptions o = testing::CannyDetectOptions();
  o.max_detections = 0;
  auto r = Detect(cv::Mat(50, 50, CV_8UC1, cv::Scalar(0)), testing::BundledVase(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("max_detections"), std::string::npos);
  o = testing::CannyDetectOptions();
  o.nms_inside = 1.5;
  r = Detect(cv::Mat(50, 50, CV_8UC1, cv::Scalar(0)), testing::BundledVase(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nms_inside"), std::string::npos);
  EXPECT_FALSE(
      Detect(cv::Mat(50, 50, CV_8UC1, cv::Scalar(0)), ShapeModel(), testing::CannyDetectOptions())
          .ok());
}

// The suppression keeps no detection mostly inside a better one; without the inside test,
// the same scenes give such pairs (parts of the vase, or of the clutter, found inside it).
TEST(DetectOptions, ValidateNamesABadVerifyField) {
  DetectOptions d = testing::CannyDetectOptions();
  d.verify.refine_rounds = 99;
  EXPECT_NE(d.Validate().message().find("refine_rounds"), std::string::npos);
}

TEST(Detect, DropsDetectionsInsideABetterOne) {
  const ShapeModel model = testing::BundledVase();
  DetectOptions with, without;
  with.max_detections = without.max_detections = 20;
  without.nms_inside = 0.0;
  int nested_without = 0;
  for (int seed = 1; seed <= 6; ++seed) {
    TargetSceneOptions so;
    so.seed = static_cast<uint64_t>(seed);
    const TargetScene scene = DrawTargetScene(model.points, so);
    auto a = Detect(scene.image, model, with);
    auto b = Detect(scene.image, model, without);
    ASSERT_TRUE(a.ok() && b.ok());
    const auto nested = [](const std::vector<Detection>& ds, double inside) {
      int count = 0;
      for (size_t i = 0; i < ds.size(); ++i) {
        for (size_t j = 0; j < i; ++j) count += BoxInside(ds[i].box, ds[j].box) >= inside;
      }
      return count;
    };
    EXPECT_EQ(nested(a->detections, with.nms_inside), 0) << "seed " << seed;
    nested_without += nested(b->detections, with.nms_inside);
    // What the inside test drops is never the best detection.
    ASSERT_FALSE(a->detections.empty());
    ASSERT_FALSE(b->detections.empty());
    EXPECT_EQ(a->detections[0].box, b->detections[0].box) << "seed " << seed;
  }
  EXPECT_GT(nested_without, 0);
}

// A small vase drawn in the corner of a big one's box, beside its neck: the inside test alone
// drops it (its box lies inside the big one's); asking also for a shared contour
// (nms_inside_shared) keeps it, as its contours are its own, while nothing else inside the
// big vase's box survives.
TEST(Detect, KeepsASecondObjectInsideABiggerOnesBox) {
  const ShapeModel model = testing::BundledVase();
  const cv::Rect2d m = model.bbox;
  cv::Mat image(420, 480, CV_8UC1, cv::Scalar(235));
  const auto place = [&](double scale, cv::Point2d corner) {
    std::vector<cv::Point2d> points;
    for (const cv::Point2d& p : model.points) {
      points.push_back(corner + scale * (p - cv::Point2d(m.x, m.y)));
    }
    DrawPolyline(image, points, true, 30, 2);
    return cv::Rect2d(corner.x, corner.y, scale * m.width, scale * m.height);
  };
  const cv::Rect2d big = place(2.3, {120, 20});
  // The neck spans 25-75% of the width over the top third: the corner left of it is free.
  const cv::Rect2d small = place(0.4, {big.x + 6, big.y + 30});
  ASSERT_GE(BoxInside(small, big), 0.9);
  DetectOptions shared = testing::CannyDetectOptions();
  shared.max_detections = 10;
  shared.nms_inside_shared = 0.5;
  DetectOptions boxes_alone = shared;
  boxes_alone.nms_inside_shared = 0.0;
  auto a = Detect(image, model, shared);
  auto b = Detect(image, model, boxes_alone);
  ASSERT_TRUE(a.ok() && b.ok());
  const auto finds = [](const std::vector<Detection>& ds, const cv::Rect2d& box) {
    return std::any_of(ds.begin(), ds.end(),
                       [&](const Detection& d) { return BoxIou(d.box, box) >= 0.5; });
  };
  EXPECT_TRUE(finds(a->detections, big));
  EXPECT_TRUE(finds(b->detections, big));
  EXPECT_TRUE(finds(a->detections, small));
  EXPECT_FALSE(finds(b->detections, small));
  // Nothing kept inside the big vase's box lies on its outline.
  for (const Detection& d : a->detections) {
    if (BoxIou(d.box, big) >= 0.5 || BoxInside(d.box, big) < shared.nms_inside) continue;
    EXPECT_GE(BoxIou(d.box, small), 0.5) << d.box;
  }
}

TEST(BoxIou, IsIntersectionOverUnion) {
  EXPECT_DOUBLE_EQ(BoxIou({0, 0, 10, 10}, {0, 0, 10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(BoxIou({0, 0, 10, 10}, {5, 0, 10, 10}), 50.0 / 150.0);
  EXPECT_DOUBLE_EQ(BoxIou({0, 0, 10, 10}, {20, 20, 5, 5}), 0.0);
}

TEST(BoxInside, IsTheFractionOfTheFirstBoxInTheSecond) {
  EXPECT_DOUBLE_EQ(BoxInside({2, 2, 4, 4}, {0, 0, 10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(BoxInside({0, 0, 10, 10}, {2, 2, 4, 4}), 16.0 / 100.0);
  EXPECT_DOUBLE_EQ(BoxInside({5, 0, 10, 10}, {0, 0, 10, 10}), 0.5);
  EXPECT_DOUBLE_EQ(BoxInside({0, 0, 0, 0}, {0, 0, 10, 10}), 0.0);
}

TEST(Suppresses, DropsOverlapsAndPartsButNotTheWhole) {
  const cv::Rect2d whole(0, 0, 100, 100), part(10, 10, 40, 40);
  EXPECT_TRUE(Suppresses(whole, {5, 5, 100, 100}, 0.5, 0.9));    // IoU 0.82
  EXPECT_FALSE(Suppresses(whole, {60, 0, 100, 100}, 0.5, 0.0));  // IoU 0.25, inside 0.4
  EXPECT_TRUE(Suppresses(whole, part, 0.5, 0.9));                // IoU 0.16, wholly inside
  EXPECT_FALSE(Suppresses(whole, part, 0.5, 0.0));               // the inside test off
  EXPECT_FALSE(Suppresses(part, whole, 0.5, 0.9));  // the whole around a kept part stays
  EXPECT_FALSE(Suppresses(whole, {80, 10, 40, 40}, 0.5, 0.9));  // half inside
}

}  // namespace
}  // namespace msrf
