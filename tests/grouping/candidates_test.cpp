#include "msrf/grouping/candidates.h"

#include <gtest/gtest.h>

#include "msrf/core/random.h"
#include "msrf/synth/scene.h"

namespace msrf {
namespace {

TEST(FitSimilarity, RecoversAKnownTransformExactly) {
  Rng rng(5);
  Similarity truth;
  truth.scale = 1.7;
  truth.angle = 0.3;
  truth.translation = {12.5, -4.0};
  std::vector<cv::Point2d> from, to;
  for (int i = 0; i < 20; ++i) {
    from.emplace_back(rng.Uniform(-50, 50), rng.Uniform(-50, 50));
    to.push_back(truth.Apply(from.back()));
  }
  double rms = -1;
  const Similarity fit = FitSimilarity(from, to, &rms);
  EXPECT_NEAR(fit.scale, truth.scale, 1e-9);
  EXPECT_NEAR(fit.angle, truth.angle, 1e-9);
  EXPECT_NEAR(fit.translation.x, truth.translation.x, 1e-9);
  EXPECT_NEAR(fit.translation.y, truth.translation.y, 1e-9);
  EXPECT_NEAR(rms, 0.0, 1e-9);
}

// An egg: no two arcs alike.
Result<ShapeModel> EggModel() {
  std::vector<cv::Point2d> outline;
  for (int k = 0; k < 40; ++k) {
    const double a = 2 * CV_PI * k / 40;
    outline.emplace_back(50 + 40 * std::cos(a) * (1 + 0.3 * std::sin(a)), 60 + 55 * std::sin(a));
  }
  return ShapeModelFromPolygon(outline);
}

// The model's points arc.start .. arc.end placed in the image, as a fragment.
Fragment FragmentAlong(const ShapeModel& model, const ModelArc& arc, const Similarity& placement) {
  Fragment f;
  f.id = 0;
  for (int i = arc.start; i <= arc.end; ++i) {
    const cv::Point2d p = placement.Apply(model.points[static_cast<size_t>(i)]);
    f.points.emplace_back(static_cast<float>(p.x), static_cast<float>(p.y));
  }
  f.resampled = ResamplePolyline(f.points, 2.0);
  f.length = PolylineLength(f.points);
  return f;
}

// A fragment that is a piece of the model placed in the image: its best candidate is that
// piece, under that placement.
TEST(FindCandidates, MatchesAPieceOfTheModelToItsArc) {
  auto model = EggModel();
  ASSERT_TRUE(model.ok());
  Similarity placement;
  placement.scale = 1.5;
  placement.angle = 0.1;
  placement.translation = {100, 80};
  const ModelArc arc{20, 58};  // 30% of the 128 points
  const Fragment f = FragmentAlong(*model, arc, placement);

  CandidateOptions o;
  o.arc_start_step = 2;
  const auto candidates = FindCandidates({f}, *model, {400, 400}, o);
  ASSERT_FALSE(candidates.empty());
  const Candidate& best = candidates.front();
  EXPECT_GT(best.quality, 0.95);
  EXPECT_NEAR(best.transform.scale, 1.5, 0.1);
  EXPECT_NEAR(best.transform.angle, 0.1, 0.05);
  const cv::Point2d centre = placement.Apply(model->centroid);
  EXPECT_LT(cv::norm(best.centre - centre), 5.0);
  EXPECT_LE(std::abs(best.arc.start - arc.start), 2);
  for (size_t i = 1; i < candidates.size(); ++i) {
    EXPECT_LE(candidates[i].quality, candidates[i - 1].quality);
  }
}

// A clean contour is often one fragment around most of the object (an apple logo's outline
// without its leaf): it matches the longest arcs, and without them it would vote for nothing.
TEST(FindCandidates, MatchesAFragmentAroundMostOfTheOutline) {
  auto model = EggModel();
  ASSERT_TRUE(model.ok());
  Similarity placement;
  placement.scale = 1.2;
  placement.angle = -0.05;
  placement.translation = {150, 120};
  const ModelArc arc{10, 112};  // 80% of the 128 points
  const Fragment f = FragmentAlong(*model, arc, placement);

  CandidateOptions o;
  ASSERT_GE(o.arc_fractions.back(), 0.75);
  const auto candidates = FindCandidates({f}, *model, {400, 400}, o);
  ASSERT_FALSE(candidates.empty());
  const Candidate& best = candidates.front();
  EXPECT_GT(best.quality, 0.95);
  EXPECT_GE(best.arc_fraction, 0.75);
  EXPECT_NEAR(best.transform.scale, 1.2, 0.05);
  EXPECT_LT(cv::norm(best.centre - placement.Apply(model->centroid)), 3.0);
  EXPECT_LE(std::abs(best.arc.start - arc.start), o.arc_start_step);

  o.arc_fractions = {0.06, 0.1, 0.15, 0.22, 0.3, 0.4};
  EXPECT_TRUE(FindCandidates({f}, *model, {400, 400}, o).empty());
}

TEST(CandidateOptions, ValidateNamesTheBadField) {
  CandidateOptions o;
  o.samples = 2;
  EXPECT_NE(o.Validate().message().find("candidates.samples"), std::string::npos);
  o = CandidateOptions();
  o.arc_fractions = {0.1, 1.5};
  EXPECT_NE(o.Validate().message().find("candidates.arc_fractions"), std::string::npos);
}

}  // namespace
}  // namespace msrf
