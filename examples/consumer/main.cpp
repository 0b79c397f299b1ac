// Multiscale contour fragments of an image, from a program that has a cv::Mat in hand.
#include <msrf/msrf.h>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer IMAGE\n");
    return 2;
  }
  const cv::Mat image = cv::imread(argv[1], cv::IMREAD_COLOR);
  if (image.empty()) {
    std::fprintf(stderr, "consumer: cannot read %s\n", argv[1]);
    return 2;
  }

  msrf::MultiscaleOptions options;
  options.pyramid.num_levels = 3;
  msrf::Result<msrf::MultiscaleFragments> result =
      msrf::ExtractMultiscaleFragments(image, cv::Mat(), options);
  if (!result.ok()) {
    std::fprintf(stderr, "consumer: %s\n", result.status().ToString().c_str());
    return 1;
  }
  const msrf::FragmentForest forest = msrf::FragmentForest::FromFragments(result->fragments);
  std::printf("msrf %s: %zu levels, %zu fragments, %zu trees\n", msrf::Version().c_str(),
              result->levels.size(), result->fragments.size(), forest.roots.size());
  return result->fragments.empty() ? 1 : 0;
}
