// Pieces every image command shares: reading the image and its optional edge map with
// messages that name the option, checking output paths before any work, and writing all
// outputs or none.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "msrf/core/status.h"
#include "msrf/core/version.h"
#include "msrf/grouping/level_work.h"
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

// Where a command's level work runs: in this process, or on the edge nodes of `--nodes`.
// LevelExecutor::Report says what it did.
struct LevelExecutorChoice {
  std::unique_ptr<LevelExecutor> executor;  // never null
};

// The local executor when `nodes_path` is empty; else the nodes file's (with compact
// payloads when `compact`), which tells each event as "msrf <command>: ..." on `err`, after
// a warning per insecure node. Errors start with "--nodes".
Result<LevelExecutorChoice> OpenLevelExecutor(const std::string& nodes_path, bool compact,
                                              const std::string& command, std::ostream& err);

// When `executor` used edge nodes: where the levels of its runs (one per image, `images`)
// ran, and each node's figures as last estimated. Nothing otherwise.
void PrintNodeSummary(const LevelExecutor& executor, size_t images, std::ostream& out);

}  // namespace msrf::cli
