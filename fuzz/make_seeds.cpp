// Writes the generated seeds of fuzz/corpus/: protobuf messages, images and JSON that msrf
// itself produces, so that they stay valid when a format changes. Run from the build tree:
//   build-fuzz/fuzz/msrf_fuzz_make_seeds fuzz/corpus
// Hand-written seeds sit beside them and are not touched.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "codec.h"
#include "msrf/boundaries/forest.h"
#include "msrf/io/model_io.h"
#include "msrf/io/options_json.h"
#include "remote_jobs.h"

namespace fs = std::filesystem;

namespace {

fs::path root;

void Write(const std::string& target, const std::string& name, const std::string& bytes) {
  const fs::path folder = root / target;
  fs::create_directories(folder);
  std::ofstream(folder / name, std::ios::binary) << bytes;
}

// One byte picks the message in the remote fuzzers: 0 level, 1 tile.
template <typename Message>
std::string Tagged(char tag, const Message& m) {
  return std::string(1, tag) + m.SerializeAsString();
}

std::string Encoded(const char* ext, const cv::Mat& image, const std::vector<int>& params = {}) {
  std::vector<uchar> buf;
  if (!cv::imencode(ext, image, buf, params)) std::abort();
  return std::string(buf.begin(), buf.end());
}

// A seed the decoder refuses would only test the first check.
void Check(const msrf::Status& status, const char* what) {
  if (status.ok()) return;
  std::cerr << "msrf_fuzz_make_seeds: the " << what << " seed is refused: " << status.ToString()
            << "\n";
  std::exit(1);
}

void RemoteSeeds() {
  using namespace msrf;
  using namespace msrf::remote;
  const LevelJob& level = fuzz::FuzzLevelJob();
  const TileJob& tile = fuzz::FuzzTileJob();
  const std::string level_options = LevelOptionsJson(level.fragments, level.candidates);
  const std::string tile_options = LevelOptionsJson(tile.options, CandidateOptions());
  for (bool compact : {false, true}) {
    const std::string suffix = compact ? "_compact" : "_exact";
    v1::LevelRequest level_request;
    EncodeLevelRequest(level, level_options, level_request, compact);
    Check(DecodeLevelRequest(level_request, int64_t{1} << 20).status(), "level request");
    Write("remote_request", "level" + suffix, Tagged(0, level_request));
    v1::TileRequest tile_request;
    EncodeTileRequest(tile, tile_options, tile_request, compact);
    Check(DecodeTileRequest(tile_request, int64_t{1} << 20).status(), "tile request");
    Write("remote_request", "tile" + suffix, Tagged(1, tile_request));

    Result<LevelOutput> level_output = RunLevelJob(level);
    Result<TileOutput> tile_output = RunTileJob(tile);
    if (!level_output.ok() || !tile_output.ok()) std::abort();
    v1::LevelReply level_reply;
    EncodeLevelReply(*level_output, level_reply, compact);
    // Times vary from run to run; seeds should not.
    level_reply.set_edges_ms(0);
    level_reply.set_fragments_ms(0);
    level_reply.set_candidates_ms(0);
    Check(DecodeLevelReply(level_reply, level).status(), "level reply");
    Write("remote_reply", "level" + suffix, Tagged(0, level_reply));
    v1::TileReply tile_reply;
    EncodeTileReply(*tile_output, tile_reply, compact);
    tile_reply.set_edges_ms(0);
    tile_reply.set_fragments_ms(0);
    Check(DecodeTileReply(tile_reply, tile).status(), "tile reply");
    Write("remote_reply", "tile" + suffix, Tagged(1, tile_reply));
  }
}

void ImageSeeds() {
  cv::Mat mask(32, 32, CV_8UC1, cv::Scalar(0));
  cv::ellipse(mask, {16, 16}, {11, 7}, 20.0, 0.0, 360.0, cv::Scalar(255), cv::FILLED);
  cv::Mat outline(32, 32, CV_8UC1, cv::Scalar(255));
  cv::rectangle(outline, {6, 8}, {25, 23}, cv::Scalar(0), 1);
  Write("model_image", "mask.png", Encoded(".png", mask));
  Write("model_image", "outline.png", Encoded(".png", outline));
  Write("model_image", "mask.bmp", Encoded(".bmp", mask));
  Write("model_image", "outline.jpg", Encoded(".jpg", outline, {cv::IMWRITE_JPEG_QUALITY, 50}));

  const cv::Mat small = mask(cv::Rect(12, 12, 8, 6)).clone();
  Write("image_header", "small.png", Encoded(".png", small));
  Write("image_header", "small.jpg", Encoded(".jpg", small, {cv::IMWRITE_JPEG_QUALITY, 30}));
  Write("image_header", "small.bmp", Encoded(".bmp", small));
  Write("image_header", "small.pgm", Encoded(".pgm", small));
  Write("image_header", "small_ascii.pgm", Encoded(".pgm", small, {cv::IMWRITE_PXM_BINARY, 0}));
}

void JsonSeeds() {
  const std::string options = msrf::MultiscaleOptionsToJson({}, -1);
  msrf::MultiscaleOptions read;
  Check(msrf::UpdateMultiscaleOptionsFromJson(options, "defaults.json", read), "options");
  Write("options_json", "defaults.json", options);
  const std::string detect = msrf::DetectOptionsToJson({}, -1);
  msrf::DetectOptions detect_read;
  Check(msrf::UpdateDetectOptionsFromJson(detect, "detect_defaults.json", detect_read), "options");
  Write("options_json", "detect_defaults.json", detect);
  const std::string model = msrf::ShapeModelToJson(msrf::fuzz::FuzzLevelJob().models[0]);
  Check(msrf::ShapeModelFromJson(model, "model.json").status(), "model JSON");
  Write("model_json", "model.json", model);
}

}  // namespace

// A small forest trained on drawn ellipses (no dataset's images): every part of the format.
void WriteForestSeed() {
  std::vector<msrf::ForestTrainImage> scenes;
  for (int i = 0; i < 2; ++i) {
    msrf::ForestTrainImage scene;
    scene.id = std::to_string(i);
    scene.image = cv::Mat(48, 48, CV_8UC3, cv::Scalar(40, 50, 60));
    cv::Mat labels(48, 48, CV_16U, cv::Scalar(1));
    const cv::Point centre(20 + 6 * i, 24);
    cv::ellipse(scene.image, centre, cv::Size(12, 9), 30.0 * i, 0, 360, cv::Scalar(200, 180, 160),
                cv::FILLED);
    cv::ellipse(labels, centre, cv::Size(12, 9), 30.0 * i, 0, 360, cv::Scalar(2), cv::FILLED);
    scene.segmentations.push_back(labels);
    scenes.push_back(scene);
  }
  msrf::ForestTrainOptions options;
  options.num_trees = 2;
  options.trees_per_position = 1;
  options.samples_per_tree = 120;
  options.min_child = 4;
  options.min_samples_to_split = 8;
  msrf::Result<msrf::Forest> forest = msrf::TrainForest(scenes, options);
  if (!forest.ok()) std::abort();
  forest->provenance = "fuzz seed: two drawn ellipses";
  Write("forest", "small.bin", msrf::SerializeForest(*forest));
}

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: msrf_fuzz_make_seeds CORPUS_FOLDER\n";
    return 2;
  }
  root = argv[1];
  RemoteSeeds();
  ImageSeeds();
  JsonSeeds();
  WriteForestSeed();
  return 0;
}
