// The BSDS boundary benchmark: the matching on maps with known answers and against brute
// force, one image's counts, ODS / OIS / AP on counts worked out by hand, the benchmark on a
// tiny generated dataset, and human agreement on BSDS500 itself when it is there.
#include "msrf/eval/bsds.h"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>

#include "msrf/core/parallel.h"
#include "support/test_support.h"

namespace msrf {
namespace {

namespace fs = std::filesystem;

cv::Mat Blank() { return cv::Mat::zeros(40, 40, CV_8U); }

cv::Mat HorizontalLine(int y) {
  cv::Mat map = Blank();
  cv::line(map, cv::Point(5, y), cv::Point(34, y), 255);
  return map;
}

TEST(MatchBoundaries, MatchesEveryPixelOfALineShiftedByThreePixelsWithinFour) {
  const BoundaryMatch match = MatchBoundaries(HorizontalLine(13), HorizontalLine(10), 4.0);
  EXPECT_EQ(match.matched, 30);
  EXPECT_EQ(cv::countNonZero(match.detected_matched), 30);
  EXPECT_EQ(cv::countNonZero(match.human_matched), 30);
}

TEST(MatchBoundaries, MatchesNothingOfALineShiftedBySixPixelsWithinFour) {
  const BoundaryMatch match = MatchBoundaries(HorizontalLine(16), HorizontalLine(10), 4.0);
  EXPECT_EQ(match.matched, 0);
  EXPECT_EQ(cv::countNonZero(match.detected_matched), 0);
}

TEST(MatchBoundaries, CountsAPairAtExactlyTheMaximumDistance) {
  EXPECT_EQ(MatchBoundaries(HorizontalLine(14), HorizontalLine(10), 4.0).matched, 30);
}

TEST(MatchBoundaries, MatchesOneDetectedPixelToOneOfTwoHumanPixels) {
  cv::Mat detected = Blank(), human = Blank();
  detected.at<uint8_t>(20, 20) = 255;
  human.at<uint8_t>(20, 18) = 255;
  human.at<uint8_t>(20, 23) = 255;
  const BoundaryMatch match = MatchBoundaries(detected, human, 4.0);
  EXPECT_EQ(match.matched, 1);
  EXPECT_EQ(cv::countNonZero(match.human_matched), 1);
}

TEST(MatchBoundaries, MatchesOneOfTwoDetectedPixelsToOneHumanPixel) {
  cv::Mat detected = Blank(), human = Blank();
  detected.at<uint8_t>(20, 18) = 255;
  detected.at<uint8_t>(21, 22) = 255;
  human.at<uint8_t>(20, 20) = 255;
  const BoundaryMatch match = MatchBoundaries(detected, human, 4.0);
  EXPECT_EQ(match.matched, 1);
  EXPECT_EQ(cv::countNonZero(match.detected_matched), 1);
}

// Greedy nearest matching pairs d1 with its nearest human pixel h1 (1 px away) and leaves
// d2, whose only human pixel within reach is h1, unmatched: one pair. The maximum matching
// pairs d1 with h2 (3 px) and d2 with h1 (2 px): two.
TEST(MatchBoundaries, FindsTheMaximumWhereGreedyNearestMatchingFindsFewer) {
  cv::Mat detected = Blank(), human = Blank();
  const cv::Point d1(10, 10), d2(13, 10), h1(11, 10), h2(7, 10);
  detected.at<uint8_t>(d1) = detected.at<uint8_t>(d2) = 255;
  human.at<uint8_t>(h1) = human.at<uint8_t>(h2) = 255;
  const BoundaryMatch match = MatchBoundaries(detected, human, 3.0);
  EXPECT_EQ(match.matched, 2);
  EXPECT_EQ(match.human_matched.at<uint8_t>(h2), 255);
}

// Kuhn's augmenting paths over every pair within reach, for the brute-force check.
int KuhnMatching(const std::vector<cv::Point>& a, const std::vector<cv::Point>& b, double reach) {
  std::vector<int> owner(b.size(), -1);
  std::vector<char> seen;
  std::function<bool(size_t)> augment = [&](size_t i) {
    for (size_t j = 0; j < b.size(); ++j) {
      if (seen[j] || cv::norm(a[i] - b[j]) > reach) continue;
      seen[j] = 1;
      if (owner[j] < 0 || augment(static_cast<size_t>(owner[j]))) {
        owner[j] = static_cast<int>(i);
        return true;
      }
    }
    return false;
  };
  int matched = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    seen.assign(b.size(), 0);
    matched += augment(i) ? 1 : 0;
  }
  return matched;
}

TEST(MatchBoundaries, FindsAsManyPairsAsBruteForceOnRandomMaps) {
  std::mt19937 random(11);
  std::uniform_int_distribution<int> coordinate(0, 15), count(1, 40);
  for (int trial = 0; trial < 300; ++trial) {
    cv::Mat detected = cv::Mat::zeros(16, 16, CV_8U), human = detected.clone();
    for (cv::Mat* map : {&detected, &human}) {
      for (int n = count(random); n > 0; --n)
        map->at<uint8_t>(coordinate(random), coordinate(random)) = 255;
    }
    const double reach = 1.0 + trial % 3;
    std::vector<cv::Point> a, b;
    cv::findNonZero(detected, a);
    cv::findNonZero(human, b);
    const BoundaryMatch match = MatchBoundaries(detected, human, reach);
    ASSERT_EQ(match.matched, KuhnMatching(a, b, reach)) << "trial " << trial;
    EXPECT_EQ(cv::countNonZero(match.detected_matched), match.matched);
    EXPECT_EQ(cv::countNonZero(match.human_matched), match.matched);
  }
}

// A 100x100 map has a diagonal of 141.4 pixels, so max_distance_ratio 0.03 reaches 4.2.
BsdsOptions Reach4() {
  BsdsOptions options;
  options.max_distance_ratio = 0.03;
  return options;
}

cv::Mat Line100(int y, int x0 = 10, int x1 = 89) {
  cv::Mat map = cv::Mat::zeros(100, 100, CV_8U);
  cv::line(map, cv::Point(x0, y), cv::Point(x1, y), 255);
  return map;
}

TEST(EvaluateBoundaryMap, GivesPerfectScoresToAnAnnotatorsOwnMap) {
  cv::Mat strength;
  Line100(50).convertTo(strength, CV_32F, 1.0 / 255.0);
  auto counts = EvaluateBoundaryMap(strength, {Line100(50)}, Reach4());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), 99U);
  for (const BoundaryCounts& c : *counts) {
    EXPECT_EQ(c, (BoundaryCounts{80, 80, 80, 80}));
  }
}

// Recall counts each annotator's pixels; precision counts a detected pixel once, however
// many annotators it matches.
TEST(EvaluateBoundaryMap, SumsRecallOverAnnotatorsAndCountsPrecisionOncePerPixel) {
  cv::Mat strength;
  Line100(50).convertTo(strength, CV_32F, 1.0 / 255.0);
  const std::vector<cv::Mat> human = {Line100(52), Line100(51, 10, 49), Line100(70)};
  auto counts = EvaluateBoundaryMap(strength, human, Reach4());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->front(), (BoundaryCounts{80 + 40, 80 + 40 + 80, 80, 80}));
}

// Strength 0.5 on the left half of the line and 1 on the right: t = 0.5 takes both halves
// (strength >= t), t = 0.51 the right one.
TEST(EvaluateBoundaryMap, TakesThePixelsAtOrAboveEachThreshold) {
  cv::Mat strength = cv::Mat::zeros(100, 100, CV_32F);
  cv::line(strength, cv::Point(10, 50), cv::Point(49, 50), 0.5);
  cv::line(strength, cv::Point(50, 50), cv::Point(89, 50), 1.0);
  auto counts = EvaluateBoundaryMap(strength, {Line100(50)}, Reach4());
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[49], (BoundaryCounts{80, 80, 80, 80}));  // t = 0.50
  EXPECT_EQ((*counts)[50], (BoundaryCounts{40, 80, 40, 40}));  // t = 0.51
  EXPECT_EQ((*counts)[98], (BoundaryCounts{40, 80, 40, 40}));  // t = 0.99
}

TEST(EvaluateBoundaryMap, ThinsAThickMapUnlessToldNotTo) {
  cv::Mat thick = cv::Mat::zeros(100, 100, CV_32F);
  cv::rectangle(thick, cv::Point(10, 49), cv::Point(89, 51), 1.0, cv::FILLED);
  BsdsOptions options = Reach4();
  auto thinned = EvaluateBoundaryMap(thick, {Line100(50)}, options);
  ASSERT_TRUE(thinned.ok());
  EXPECT_LE(thinned->front().detected, 82);
  EXPECT_GE(thinned->front().matched_human, 75);  // Zhang-Suen shortens the ends
  options.thin = false;
  auto raw = EvaluateBoundaryMap(thick, {Line100(50)}, options);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->front(), (BoundaryCounts{80, 80, 80, 240}));
}

TEST(EvaluateBoundaryMap, RefusesMapsOfAnotherTypeOrSize) {
  const cv::Mat strength = cv::Mat::zeros(100, 100, CV_32F);
  EXPECT_EQ(EvaluateBoundaryMap(cv::Mat::zeros(100, 100, CV_8U), {Line100(50)}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(EvaluateBoundaryMap(strength, {cv::Mat::zeros(99, 100, CV_8U)}).status().code(),
            StatusCode::kInvalidArgument);
  BsdsOptions options;
  options.thresholds = 0;
  auto refused = EvaluateBoundaryMap(strength, {Line100(50)}, options);
  EXPECT_NE(refused.status().message().find("bsds.thresholds"), std::string::npos);
}

// Annotators a (80 pixels) and b (its left half, 40, two rows away): a against b matches
// 40 of b's 40 and 40 of a's 80 pixels; b against a, 40 of a's 80 and all of b's 40.
TEST(EvaluateHumanAgreement, ScoresEachAnnotatorAgainstTheOthers) {
  auto counts = EvaluateHumanAgreement({Line100(50), Line100(52, 10, 49)}, Reach4());
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  ASSERT_EQ(counts->size(), 99U);
  for (const BoundaryCounts& c : *counts) {
    EXPECT_EQ(c, (BoundaryCounts{40 + 40, 40 + 80, 40 + 40, 80 + 40}));
  }
  auto alone = EvaluateHumanAgreement({Line100(50)}, Reach4());
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->front(), BoundaryCounts{});
}

TEST(BsdsThresholds, AreTheHundredthsFromOneToNinetyNine) {
  const std::vector<double> t = BsdsThresholds();
  ASSERT_EQ(t.size(), 99U);
  EXPECT_DOUBLE_EQ(t.front(), 0.01);
  EXPECT_DOUBLE_EQ(t[49], 0.50);
  EXPECT_DOUBLE_EQ(t.back(), 0.99);
}

// (R, P) = (0.8, 0.4) then (0.4, 0.8): F is 0.533 at both ends and peaks at 0.6 half way,
// where the reference's 100 points (d = j / 99) do not fall. The nearest are j = 49 and 50,
// 1/198 either side; both give r p = 0.36 - (0.4 / 198)^2 and r + p = 1.2, so
// F = 0.6 - (0.4 / 198)^2 / 0.6, at t = 0.375 -+ 0.25 / 198 (which of the two is rounding's
// choice).
TEST(InterpolatedBestF, SearchesTheReferencesHundredPointsBetweenThresholds) {
  const PrPoint best = InterpolatedBestF({0.25, 0.5}, {0.8, 0.4}, {0.4, 0.8});
  const double gap = 0.4 / 198;
  EXPECT_NEAR(best.f, 0.6 - gap * gap / 0.6, 1e-12);
  EXPECT_NEAR(std::abs(best.threshold - 0.375), 0.25 / 198, 1e-12);
  EXPECT_NEAR(std::abs(best.recall - 0.6), gap, 1e-12);
  EXPECT_NEAR(best.recall + best.precision, 1.2, 1e-12);
}

// Two images, three thresholds (0.25, 0.5, 0.75); counts {cntR, sumR, cntP, sumP}:
//
//   image A: t1 {8, 10, 4, 8}  R .8 P .5  F .615    image B: t1 {6, 10, 6, 8}  R .6 P .75 F .667
//            t2 {6, 10, 4, 5}  R .6 P .8  F .686             t2 {2, 10, 2, 4}  R .2 P .5  F .286
//            t3 {2, 10, 2, 2}  R .2 P 1   F .333             t3 {0, 10, 0, 0}  R 0  P 0   F 0
//
// Summed: t1 {14, 20, 10, 16} R .7 P .625 F 35/53 = .660; t2 {8, 20, 6, 9} R .4 P 2/3 F .5;
// t3 {2, 20, 2, 2} R .1 P 1 F 2/11. F falls from t1 towards t2 (dF/dd = (2P^2 dR + 2R^2 dP)
// / (R+P)^2 = (2 x .390625 x -.3 + 2 x .49 x .0417) / ... < 0) and F is concave along the
// segment, so no interpolated point beats t1, and none between t2 and t3 beats .5:
// ODS = t1, F 35/53.
// OIS: A is best at t2, B at t1: {6 + 6, 20, 4 + 6, 5 + 8}: R .6, P 10/13, F 60/89.
// AP: recalls .1, .4, .7 with precisions 1, 2/3, .625. Recall k/100 for k = 10..40 lies on
// the first segment: sum 31 - (1/3)(0 + 1 + ... + 30)/30 = 31 - 465/90; k = 41..70 on the
// second: 30 x 2/3 - (1/24)(1 + ... + 30)/30 = 20 - 465/720; outside, 0. AP = 0.01 x the sum
// = 0.451875.
TEST(ScoreBsds, ComputesOdsOisAndApAsTheReference) {
  BsdsOptions options;
  options.thresholds = 3;
  const std::vector<std::vector<BoundaryCounts>> per_image = {
      {{8, 10, 4, 8}, {6, 10, 4, 5}, {2, 10, 2, 2}}, {{6, 10, 6, 8}, {2, 10, 2, 4}, {0, 10, 0, 0}}};
  const BsdsScores s = ScoreBsds(per_image, options);
  EXPECT_EQ(s.images, 2);
  EXPECT_DOUBLE_EQ(s.ods.threshold, 0.25);
  EXPECT_DOUBLE_EQ(s.ods.recall, 0.7);
  EXPECT_DOUBLE_EQ(s.ods.precision, 0.625);
  EXPECT_NEAR(s.ods.f, 35.0 / 53.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.ois.recall, 0.6);
  EXPECT_NEAR(s.ois.precision, 10.0 / 13.0, 1e-12);
  EXPECT_NEAR(s.ois.f, 60.0 / 89.0, 1e-12);
  EXPECT_NEAR(s.ap, 0.01 * (31 - 465.0 / 90 + 20 - 465.0 / 720), 1e-12);
  EXPECT_NEAR(s.ap, 0.451875, 1e-12);
  ASSERT_EQ(s.curve.size(), 3U);
  EXPECT_NEAR(s.curve[1].precision, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(s.curve[2].f, 2.0 / 11.0, 1e-12);
}

// Image A ties at t1 and t2 (F .5 both, exactly: R .5 P .5, then R .75 P .375); OIS takes
// the first. Image B has no human pixels (F 0 throughout) and adds its t1: R 4/8, P 5/14.
TEST(ScoreBsds, TakesEachImagesFirstBestThresholdForOis) {
  BsdsOptions options;
  options.thresholds = 2;
  const BsdsScores s =
      ScoreBsds({{{4, 8, 5, 10}, {6, 8, 3, 8}}, {{0, 0, 0, 4}, {0, 0, 0, 0}}}, options);
  EXPECT_DOUBLE_EQ(s.ois.recall, 0.5);
  EXPECT_DOUBLE_EQ(s.ois.precision, 5.0 / 14.0);
}

TEST(AreaUnderPrCurve, IsZeroWithFewerThanTwoDistinctRecalls) {
  EXPECT_EQ(AreaUnderPrCurve({0.5, 0.5, 0.5}, {0.2, 0.4, 0.9}), 0.0);
}

// Recalls 0 and 1 with precision 1 then 0: P(r) = 1 - r at the 101 points: sum 50.5.
TEST(AreaUnderPrCurve, SumsTheHundredAndOnePointsTimesAHundredth) {
  EXPECT_NEAR(AreaUnderPrCurve({1.0, 0.0}, {0.0, 1.0}), 0.505, 1e-12);
  // Equal recalls: the first (lowest threshold) one's precision counts.
  EXPECT_NEAR(AreaUnderPrCurve({1.0, 1.0, 0.0}, {0.0, 1.0, 1.0}), 0.505, 1e-12);
}

class TinyBsds : public ::testing::Test {
 protected:
  void SetUp() override { ids_ = testing::WriteTinyBsds(root_.path(), "val", 4); }
  testing::TempDir root_;
  std::vector<std::string> ids_;
};

TEST_F(TinyBsds, ListsTheImagesWithTheirAnnotatorsSorted) {
  auto split = ReadBsdsSplit(root_.path().string(), "val");
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  ASSERT_EQ(split->images.size(), 4U);
  EXPECT_EQ(split->images[0].id, ids_[0]);
  EXPECT_EQ(split->images[0].gt_paths.size(), 3U);
  EXPECT_EQ(split->images[2].size, cv::Size(160, 240));
  auto human = ReadBsdsGroundTruth(split->images[1]);
  ASSERT_TRUE(human.ok()) << human.status().ToString();
  ASSERT_EQ(human->size(), 3U);
  double top = 0;
  cv::minMaxLoc((*human)[0], nullptr, &top);
  EXPECT_EQ(top, 255.0);
}

TEST_F(TinyBsds, RefusesAMissingFolderAnImageWithoutAnnotatorsAndABadMap) {
  const fs::path val = root_.path() / "val";
  EXPECT_EQ(ReadBsdsSplit(root_.path().string(), "test").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(ReadBsdsSplit((root_.path() / "none").string(), "val").status().code(),
            StatusCode::kNotFound);

  fs::copy_file(val / (ids_[0] + ".jpg"), val / "999.jpg");
  auto lone = ReadBsdsSplit(root_.path().string(), "val");
  EXPECT_NE(lone.status().message().find("999.jpg: no annotator"), std::string::npos)
      << lone.status().ToString();

  std::ofstream(val / "999_gt0.png") << "not an image";
  auto garbage = ReadBsdsSplit(root_.path().string(), "val");
  EXPECT_EQ(garbage.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(garbage.status().message().find("999_gt0.png"), std::string::npos);

  ASSERT_TRUE(cv::imwrite((val / "999_gt0.png").string(), cv::Mat::zeros(10, 10, CV_8U)));
  auto small = ReadBsdsSplit(root_.path().string(), "val");
  EXPECT_EQ(small.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(small.status().message().find("999_gt0.png: the boundary map is 10x10"),
            std::string::npos)
      << small.status().ToString();
}

TEST_F(TinyBsds, ScoresDoNotDependOnTheThreadCount) {
  auto split = ReadBsdsSplit(root_.path().string(), "val");
  ASSERT_TRUE(split.ok());
  BoundaryOptions gradient;
  gradient.method = BoundaryMethod::kGradient;
  const std::vector<BsdsMethod> methods = {DetectorBsdsMethod("gradient", gradient),
                                           HumanBsdsMethod()};
  std::vector<std::vector<BsdsMethodResult>> runs;
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    auto run = RunBsdsBench(*split, methods);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    runs.push_back(std::move(run).value());
  }
  for (size_t m = 0; m < methods.size(); ++m) {
    EXPECT_EQ(runs[0][m].per_image, runs[1][m].per_image) << methods[m].name;
    EXPECT_EQ(runs[0][m].scores.ods.f, runs[1][m].scores.ods.f);
  }
  // Clean step edges: the gradient finds the shapes' outlines.
  EXPECT_GT(runs[0][0].scores.ods.f, 0.8);
  EXPECT_GT(runs[0][0].scores.ap, 0.5);
}

TEST_F(TinyBsds, ReadsEightAndSixteenBitMapsAlike) {
  auto split = ReadBsdsSplit(root_.path().string(), "val");
  ASSERT_TRUE(split.ok());
  testing::TempDir eight, sixteen;
  for (const BsdsImage& image : split->images) {
    cv::Mat map = cv::imread(image.gt_paths[0], cv::IMREAD_UNCHANGED), wide;
    map.convertTo(wide, CV_16U, 257.0);
    ASSERT_TRUE(cv::imwrite(eight.Path(image.id + ".png"), map));
    ASSERT_TRUE(cv::imwrite(sixteen.Path(image.id + ".png"), wide));
  }
  ASSERT_TRUE(CheckBsdsMapFolder(*split, eight.path().string()).ok());
  auto run = RunBsdsBench(*split, {MapFolderBsdsMethod("eight", eight.path().string()),
                                   MapFolderBsdsMethod("sixteen", sixteen.path().string())});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ((*run)[0].per_image, (*run)[1].per_image);
  EXPECT_GT((*run)[0].scores.ods.f, 0.9);  // annotator 0 against all three
}

TEST_F(TinyBsds, ChecksAMapFolderBeforeAnyWork) {
  auto split = ReadBsdsSplit(root_.path().string(), "val");
  ASSERT_TRUE(split.ok());
  testing::TempDir maps;
  for (size_t i = 0; i + 1 < split->images.size(); ++i) {
    ASSERT_TRUE(cv::imwrite(maps.Path(split->images[i].id + ".png"),
                            cv::Mat::zeros(split->images[i].size, CV_8U)));
  }
  const Status missing = CheckBsdsMapFolder(*split, maps.path().string());
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find(split->images.back().id + ".png"), std::string::npos);
  ASSERT_TRUE(
      cv::imwrite(maps.Path(split->images.back().id + ".png"), cv::Mat::zeros(5, 5, CV_8U)));
  const Status small = CheckBsdsMapFolder(*split, maps.path().string());
  EXPECT_EQ(small.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(small.message().find("the map is 5x5"), std::string::npos) << small.ToString();
}

TEST_F(TinyBsds, NamesTheMethodAndImageOfAFailure) {
  auto split = ReadBsdsSplit(root_.path().string(), "val");
  ASSERT_TRUE(split.ok());
  const BsdsMethod broken = StrengthBsdsMethod(
      "broken", false,
      [](const BsdsImage&, const cv::Mat&) -> Result<cv::Mat> { return cv::Mat(); });
  auto run = RunBsdsBench(*split, {broken});
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("broken on "), std::string::npos);
  EXPECT_NE(run.status().message().find(".jpg: the strength map is not CV_32F"), std::string::npos)
      << run.status().ToString();
}

// Each annotator of BSDS500 val scored against the others: the published human agreement is
// an F of about 0.80.
TEST(BsdsHumanAgreement, IsNearThePublishedFigureOnVal) {
  const std::string root = testing::BsdsRoot();
  if (root.empty()) {
    GTEST_SKIP() << "BSDS500 not found (shared/datasets/bsds500 or $MSRF_BSDS_DIR); skipping";
  }
  auto split = ReadBsdsSplit(root, "val");
  ASSERT_TRUE(split.ok()) << split.status().ToString();
  auto run = RunBsdsBench(*split, {HumanBsdsMethod()});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  const BsdsScores& s = (*run)[0].scores;
  EXPECT_GT(s.ods.f, 0.72);
  EXPECT_LT(s.ods.f, 0.88);
  EXPECT_NEAR(s.ois.f, s.ods.f, 0.03);
  std::cout << "human agreement on val: ODS " << s.ods.f << " (R " << s.ods.recall << ", P "
            << s.ods.precision << "), OIS " << s.ois.f << "\n";
}

}  // namespace
}  // namespace msrf
