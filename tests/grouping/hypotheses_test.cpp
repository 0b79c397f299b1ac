#include "msrf/grouping/hypotheses.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace msrf {
namespace {

// Votes of weight 1 at `count` copies of `centre`, at the scale `scale`.
void AddVotes(std::vector<Candidate>* votes, cv::Point2d centre, double scale, int count) {
  for (int k = 0; k < count; ++k) {
    Candidate c;
    c.quality = 1.0;
    c.arc_fraction = 1.0;
    c.transform.scale = scale;
    c.centre = centre;
    votes->push_back(c);
  }
}

// Two clusters of votes for a model 100 units wide: a tight one of 12 votes, and a diffuse one
// of 18 whose four corners lie in the bins around its centre but beyond the agreement
// tolerance. The bins' sums favour the diffuse cluster (18 against 12); the votes that agree
// with each refined peak favour the tight one (12 against 10).
TEST(FindHypotheses, RanksPeaksByTheVotesThatAgreeWithThem) {
  HypothesisOptions o;
  const double scale = std::exp(0.5 * o.log_scale_bin);  // the middle of a scale bin
  const double bin = o.position_bin * 100.0 * scale;
  const cv::Point2d tight(10.5 * bin, 10.5 * bin), diffuse(40.5 * bin, 40.5 * bin);
  std::vector<Candidate> votes;
  AddVotes(&votes, tight, scale, 12);
  for (int dy = -1; dy <= 1; ++dy) {
    for (int dx = -1; dx <= 1; ++dx) {
      const double reach = dx != 0 && dy != 0 ? 1.4 : 1.0;  // corners: beyond the tolerance
      AddVotes(&votes, diffuse + reach * bin * cv::Point2d(dx, dy), scale, 2);
    }
  }
  ASSERT_GT(cv::norm(1.4 * bin * cv::Point2d(1, 1)), o.centre_tolerance * 100.0 * scale);

  o.max_hypotheses = 1;
  const std::vector<Hypothesis> best = FindHypotheses(votes, 100.0, o);
  ASSERT_EQ(best.size(), 1u);
  EXPECT_LT(cv::norm(best[0].centre - tight), 1e-9);
  EXPECT_NEAR(best[0].log_scale, std::log(scale), 1e-12);
  EXPECT_DOUBLE_EQ(best[0].weight, 12.0);

  // Ranked by the bins alone (only the strongest bin refined), the diffuse cluster comes first.
  o.peak_pool = 1.0;
  const std::vector<Hypothesis> by_bins = FindHypotheses(votes, 100.0, o);
  ASSERT_EQ(by_bins.size(), 1u);
  EXPECT_LT(cv::norm(by_bins[0].centre - diffuse), 1e-9);
  EXPECT_DOUBLE_EQ(by_bins[0].weight, 10.0);

  o = HypothesisOptions();
  const std::vector<Hypothesis> both = FindHypotheses(votes, 100.0, o);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_LT(cv::norm(both[0].centre - tight), 1e-9);
  EXPECT_LT(cv::norm(both[1].centre - diffuse), 1e-9);
  EXPECT_TRUE(FindHypotheses({}, 100.0, o).empty());
}

TEST(HypothesisOptions, ValidateNamesTheBadField) {
  HypothesisOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.peak_pool = 0.5;
  EXPECT_NE(o.Validate().message().find("peak_pool"), std::string::npos);
  o = HypothesisOptions();
  o.max_hypotheses = 0;
  EXPECT_NE(o.Validate().message().find("max_hypotheses"), std::string::npos);
}

}  // namespace
}  // namespace msrf
