#include "msrf/verify/outline_fit.h"

#include <gtest/gtest.h>

#include <vector>

#include "drawn_contours.h"

namespace msrf {
namespace {

// A bar 200 x 40 model units, placed at (50, 50) at scale 1 in a 320 x 160 image.
struct Bar {
  ShapeModel model;
  std::vector<cv::Point2d> placed;
  static constexpr double kSize = 200.0;

  Bar() {
    auto m = ShapeModelFromPolygon({{0, 0}, {200, 0}, {200, 40}, {0, 40}});
    EXPECT_TRUE(m.ok());
    if (m.ok()) model = *m;
    Similarity t;
    t.translation = {50, 50};
    placed = testing::Placed(model, t);
  }
  // The placed outline with its right half bent upwards by up to `lift` pixels at the end.
  std::vector<cv::Point2d> Bent(double lift) const {
    std::vector<cv::Point2d> out = placed;
    for (cv::Point2d& p : out) p.y -= lift * std::max(0.0, (p.x - 150.0) / 100.0);
    return out;
  }
  // The placed outline with the points right of x = 170 moved up by `lift` pixels, and those
  // between 130 and 170 by part of it: a part that swings as a whole.
  std::vector<cv::Point2d> Shifted(double lift) const {
    std::vector<cv::Point2d> out = placed;
    for (cv::Point2d& p : out) p.y -= lift * std::clamp((p.x - 130.0) / 40.0, 0.0, 1.0);
    return out;
  }
};

// Contours drawn along `target` only: `fit` (DeformOutline or WarpOutline) must bring the
// placed bar, which starts at least `min_before` pixels off on average, half of the way or more.
template <typename Fit>
void ExpectFitHalvesTheDistance(const Bar& bar, const std::vector<cv::Point2d>& target,
                                double min_before, Fit fit) {
  const OrientedContours contours = testing::ContoursOf({target}, cv::Size(320, 160));
  const std::vector<cv::Point2d> out =
      fit(bar.model, bar.placed, contours, Bar::kSize, VerifyOptions());
  ASSERT_EQ(out.size(), bar.placed.size());
  const double before = testing::MeanDistance(bar.placed, target);
  const double after = testing::MeanDistance(out, target);
  EXPECT_GT(before, min_before);
  EXPECT_LT(after, 0.5 * before) << "before " << before;
}

// `off` turns `fit` off: it, and the default options on an image without contours, must
// leave the outline where it was.
template <typename Fit>
void ExpectFitLeavesTheOutline(const Bar& bar, const std::vector<cv::Point2d>& target,
                               const VerifyOptions& off, Fit fit) {
  const OrientedContours contours = testing::ContoursOf({target}, cv::Size(320, 160));
  EXPECT_EQ(fit(bar.model, bar.placed, contours, Bar::kSize, off), bar.placed);
  const OrientedContours empty = testing::ContoursOf({}, cv::Size(320, 160));
  EXPECT_EQ(fit(bar.model, bar.placed, empty, Bar::kSize, VerifyOptions()), bar.placed);
}

TEST(DeformOutline, FollowsABentDrawing) {
  const Bar bar;
  ExpectFitHalvesTheDistance(bar, bar.Bent(8.0), 1.5, DeformOutline);
}

TEST(DeformOutline, MovesNoPointFurtherThanMaxDeform) {
  const Bar bar;
  const std::vector<cv::Point2d> bent = bar.Bent(8.0);
  const OrientedContours contours = testing::ContoursOf({bent}, cv::Size(320, 160));
  VerifyOptions o;
  o.max_deform = 0.01;  // 2 pixels
  const std::vector<cv::Point2d> out =
      DeformOutline(bar.model, bar.placed, contours, Bar::kSize, o);
  double furthest = 0;
  for (size_t i = 0; i < out.size(); ++i)
    furthest = std::max(furthest, cv::norm(out[i] - bar.placed[i]));
  EXPECT_LE(furthest, 2.0 + 1e-9);
  EXPECT_GT(furthest, 1.0);
}

TEST(DeformOutline, LeavesTheOutlineWhenOffOrWithoutContours) {
  const Bar bar;
  VerifyOptions off;
  off.deform_rounds = 0;
  ExpectFitLeavesTheOutline(bar, bar.Bent(8.0), off, DeformOutline);
}

TEST(WarpOutline, FollowsAPartThatSwingsAsAWhole) {
  const Bar bar;
  ExpectFitHalvesTheDistance(bar, bar.Shifted(12.0), 2.0, WarpOutline);
}

TEST(WarpOutline, LeavesTheOutlineWhenOffOrWithoutContours) {
  const Bar bar;
  VerifyOptions off;
  off.warp_grid = 0;
  ExpectFitLeavesTheOutline(bar, bar.Shifted(12.0), off, WarpOutline);
}

}  // namespace
}  // namespace msrf
