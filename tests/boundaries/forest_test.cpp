// The structured forest: the shipped one, its file format, and training on drawn scenes.
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <fstream>

#include "msrf/boundaries/forest.h"
#include "msrf/core/parallel.h"
#include "msrf/core/random.h"

namespace msrf {
namespace {

TEST(DefaultForest, IsTheTrainedOneShippedWithItsProvenance) {
  const Forest& forest = DefaultForest();
  ASSERT_FALSE(forest.trees.empty()) << "data/boundary_forest.bin did not parse";
  EXPECT_TRUE(forest.Validate().ok());
  EXPECT_NE(forest.provenance.find("train-edges"), std::string::npos) << forest.provenance;
  EXPECT_NE(forest.provenance.find("BSDS500"), std::string::npos) << forest.provenance;
}

// A scene of overlapping filled shapes of random colours, with its label map.
ForestTrainImage DrawnScene(uint64_t seed, cv::Size size = {96, 80}) {
  Rng rng(seed);
  ForestTrainImage scene;
  scene.id = "scene" + std::to_string(seed);
  const auto grey = [&] { return rng.UniformInt(20, 235); };
  scene.image = cv::Mat(size, CV_8UC3, cv::Scalar(grey(), grey(), grey()));
  cv::Mat labels = cv::Mat::zeros(size, CV_16U);
  for (int k = 1; k <= 5; ++k) {
    const cv::Scalar colour(grey(), grey(), grey());
    const cv::Point centre(rng.UniformInt(10, size.width - 10),
                           rng.UniformInt(10, size.height - 10));
    const cv::Size axes(rng.UniformInt(8, 30), rng.UniformInt(8, 30));
    const double angle = rng.Uniform(0.0, 180.0);
    cv::ellipse(scene.image, centre, axes, angle, 0, 360, colour, cv::FILLED);
    cv::ellipse(labels, centre, axes, angle, 0, 360, cv::Scalar(k), cv::FILLED);
  }
  scene.segmentations.push_back(labels);
  return scene;
}

ForestTrainOptions SmallTraining() {
  ForestTrainOptions options;
  options.num_trees = 2;
  options.trees_per_position = 2;
  options.samples_per_tree = 3000;
  return options;
}

// A forest trained in moments on two drawn scenes, for tests of files and detection.
Result<Forest> TinyForest() {
  ForestTrainOptions options = SmallTraining();
  options.samples_per_tree = 400;
  return TrainForest({DrawnScene(1), DrawnScene(2)}, options);
}

TEST(TrainForest, LearnsTheOutlinesOfDrawnShapes) {
  std::vector<ForestTrainImage> scenes;
  for (uint64_t s = 1; s <= 8; ++s) scenes.push_back(DrawnScene(s));
  Result<Forest> forest = TrainForest(scenes, SmallTraining());
  ASSERT_TRUE(forest.ok()) << forest.status().message();
  // A scene it has not seen: its outline pixels get a far stronger raw response than the
  // pixels 4 or more pixels away from any outline.
  const ForestTrainImage test = DrawnScene(100);
  Result<BoundaryMap> map = ForestBoundaries(*forest, test.image);
  ASSERT_TRUE(map.ok()) << map.status().message();
  cv::Mat labels;
  test.segmentations[0].convertTo(labels, CV_32F);
  cv::Mat dx, dy;
  cv::Sobel(labels, dx, CV_32F, 1, 0);
  cv::Sobel(labels, dy, CV_32F, 0, 1);
  const cv::Mat outline = (cv::abs(dx) + cv::abs(dy)) > 0;
  cv::Mat far_from_outline;
  cv::dilate(outline, far_from_outline, cv::Mat::ones(9, 9, CV_8U));
  far_from_outline = far_from_outline == 0;
  const double on = cv::mean(map->strength, outline)[0];
  const double off = cv::mean(map->strength, far_from_outline)[0];
  EXPECT_GT(on, 3.0 * off) << "on the outline " << on << ", away from it " << off;
}

TEST(TrainForest, GivesTheSameForestForTheSameSeedOnAnyThreadCount) {
  std::vector<ForestTrainImage> scenes;
  for (uint64_t s = 1; s <= 4; ++s) scenes.push_back(DrawnScene(s));
  ForestTrainOptions options = SmallTraining();
  options.samples_per_tree = 1000;
  Result<Forest> a = TrainForest(scenes, options);
  Result<Forest> b = [&] {
    const ThreadLimit limit(1);
    return TrainForest(scenes, options);
  }();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(SerializeForest(*a), SerializeForest(*b));
  options.seed = 2;
  Result<Forest> c = TrainForest(scenes, options);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(SerializeForest(*a), SerializeForest(*c));
}

TEST(TrainForest, RefusesImagesItCannotLearnFrom) {
  ForestTrainImage no_labels = DrawnScene(1);
  no_labels.segmentations.clear();
  EXPECT_EQ(TrainForest({no_labels}, SmallTraining()).status().code(),
            StatusCode::kInvalidArgument);
  ForestTrainImage wrong_size = DrawnScene(1);
  wrong_size.segmentations[0] = cv::Mat::zeros(10, 10, CV_16U);
  EXPECT_EQ(TrainForest({wrong_size}, SmallTraining()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(TrainForest({}, SmallTraining()).status().code(), StatusCode::kInvalidArgument);
  ForestTrainOptions bad = SmallTraining();
  bad.trees_per_position = 3;
  Result<Forest> r = TrainForest({DrawnScene(1)}, bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("train.trees_per_position"), std::string::npos);
}

TEST(ParseForest, ReadsWhatSerializeForestWrote) {
  const Forest& forest = DefaultForest();
  ASSERT_FALSE(forest.trees.empty());
  const std::string bytes = SerializeForest(forest);
  Result<Forest> parsed = ParseForest(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(SerializeForest(*parsed), bytes);
}

TEST(ParseForest, RefusesDamagedFiles) {
  Result<Forest> forest = TinyForest();
  ASSERT_TRUE(forest.ok());
  const std::string bytes = SerializeForest(*forest);
  EXPECT_FALSE(ParseForest("").ok());
  EXPECT_FALSE(ParseForest("PNG....").ok());
  // Every truncation is refused, none crashes.
  for (size_t n = 0; n < bytes.size(); n += std::max<size_t>(1, bytes.size() / 97)) {
    EXPECT_FALSE(ParseForest(bytes.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(ParseForest(bytes + "x").ok());
  // A child pointing outside the tree, and a feature out of range.
  Forest bad = *forest;
  bad.trees[0].child[0] = static_cast<uint32_t>(bad.trees[0].child.size());
  EXPECT_FALSE(ParseForest(SerializeForest(bad)).ok());
  // The largest child index: its right sibling's index wraps around to the root, a walk that
  // would never end (found by the forest fuzzer).
  bad = *forest;
  bad.trees[0].child[0] = 0xFFFFFFFFU;
  EXPECT_FALSE(ParseForest(SerializeForest(bad)).ok());
  bad = *forest;
  bad.trees[0].feature[0] = 65535;
  EXPECT_FALSE(ParseForest(SerializeForest(bad)).ok());
  bad = *forest;
  bad.trees[1].boundary_pixels.push_back(255);
  EXPECT_FALSE(ParseForest(SerializeForest(bad)).ok());
}

TEST(ForestBoundaries, NeverReadALeafsFeature) {
  // A leaf's feature index is not checked when a forest is read, as a walk never reads it:
  // detection must not look it up either (found by the forest fuzzer; the read past the
  // feature table shows under AddressSanitizer).
  Result<Forest> forest = TinyForest();
  ASSERT_TRUE(forest.ok());
  Result<BoundaryMap> before = ForestBoundaries(*forest, DrawnScene(1).image);
  ASSERT_TRUE(before.ok());
  int leaves = 0;
  for (ForestTree& tree : forest->trees) {
    for (size_t i = 0; i < tree.child.size(); ++i) {
      if (tree.child[i] == 0) {
        tree.feature[i] = 65535;
        ++leaves;
      }
    }
  }
  ASSERT_GT(leaves, 0);
  Result<Forest> parsed = ParseForest(SerializeForest(*forest));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  Result<BoundaryMap> after = ForestBoundaries(*parsed, DrawnScene(1).image);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(cv::norm(before->strength, after->strength, cv::NORM_INF), 0.0);
}

TEST(ReadForest, NamesTheFile) {
  Result<Forest> missing = ReadForest("/nonexistent/forest.bin");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  const std::string path = testing::TempDir() + "/not_a_forest.bin";
  std::ofstream(path) << "hello";
  Result<Forest> garbage = ReadForest(path);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.status().message().find(path), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace msrf
