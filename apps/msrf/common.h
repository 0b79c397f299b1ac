// Pieces every image command shares: reading the image and its optional edge map with
// messages that name the option, checking output paths before any work, and writing all
// outputs or none.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/io/model_io.h"

namespace msrf::cli {

struct InputImage {
  cv::Mat image;          // BGR
  cv::Mat edge_strength;  // CV_32F in [0, 1], or empty when no edge map was given
};

// Sends the process's stderr to /dev/null while it lives. Image codecs (libpng, libjpeg,
// libtiff) print their own warnings on corrupt input; the command line reports one line of
// its own instead. Not thread-safe: use it where the CLI runs on one thread.
class QuietStderr {
 public:
  QuietStderr();
  ~QuietStderr();
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

// Loads a shape model (see LoadShapeModel) with codec warnings silenced.
Result<ShapeModel> ReadShapeModel(const std::string& path, const ShapeModelOptions& options = {},
                                  ModelImageKind kind = ModelImageKind::kAuto);

// Reads IMAGE and, when `edges_path` is not empty, the edge map (same size required).
Result<InputImage> ReadInputImage(const std::string& image_path, const std::string& edges_path,
                                  int64_t max_pixels);

// (option, path) pairs; empty paths are skipped. Checks each can be written, and that PNG
// and SVG outputs are named so.
Status CheckOutputPaths(const std::vector<std::pair<std::string, std::string>>& outputs);

// (path, bytes) pairs; empty paths are skipped. Each file is written atomically; when one
// fails, those already written are removed.
Status WriteOutputs(const std::vector<std::pair<std::string, std::string>>& outputs);

}  // namespace msrf::cli
