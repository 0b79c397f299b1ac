// A pipeline step that has a cv::Mat in hand and asks msrf where the target shape is.
#include <msrf/msrf.h>

#include <opencv2/imgcodecs.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: consumer IMAGE MODEL\n");
    return 2;
  }
  const cv::Mat image = cv::imread(argv[1], cv::IMREAD_COLOR);
  if (image.empty()) {
    std::fprintf(stderr, "consumer: cannot read %s\n", argv[1]);
    return 2;
  }
  msrf::Result<msrf::ShapeModel> model = msrf::LoadShapeModel(argv[2]);
  if (!model.ok()) {
    std::fprintf(stderr, "consumer: %s\n", model.status().ToString().c_str());
    return 2;
  }
  msrf::Result<msrf::Detections> found = msrf::Detect(image, *model, msrf::DetectOptions());
  if (!found.ok()) {
    std::fprintf(stderr, "consumer: %s\n", found.status().ToString().c_str());
    return 1;
  }
  std::printf("msrf %s: %zu fragments, %zu detections\n", msrf::Version().c_str(),
              found->fragments.fragments.size(), found->detections.size());
  for (const msrf::Detection& d : found->detections) {
    std::printf("  score %.2f  box [%.0f, %.0f, %.0f, %.0f]  %zu fragments\n", d.score, d.box.x,
                d.box.y, d.box.x + d.box.width, d.box.y + d.box.height, d.fragments.size());
  }
  return found->detections.empty() ? 1 : 0;
}
