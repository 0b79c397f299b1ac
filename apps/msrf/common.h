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
#include "msrf/pyramid/edge_detector.h"

namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

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

// (option, path) pairs; entries with an empty path are skipped (an option not given).
using NamedPaths = std::vector<std::pair<std::string, std::string>>;

// Checks, before any work, that each output can be written (CheckWritablePath: a regular file
// or nothing, in a folder that takes a new file), that PNG and SVG outputs are named so, and
// that no output is the same file as one of `inputs` or as another output (by identity, see
// SameFile, so "./a.png" and a link to a.png count as a.png). Errors name the option.
Status CheckOutputPaths(const NamedPaths& outputs, const NamedPaths& inputs = {});

// (path, bytes) pairs; empty paths are skipped. All are written to hidden temporaries first,
// then renamed together (see StagedFiles): a failure before the renames leaves none of them.
Status WriteOutputs(const std::vector<std::pair<std::string, std::string>>& outputs);

// Checks of option values, for CLI11's check(): a finite number (CLI11's Range lets "nan"
// through); a seed, a whole number in [0, 2^64) (CLI11 would turn "-1" and "1e23" into
// 2^64 - 1); text that is valid UTF-8 (it goes into JSON); a path that is not empty; and
// HOST:PORT with PORT in 1..65535 (0 too when `allow_port_zero`: pick a free port).
CLI::Validator FiniteNumber();
CLI::Validator SeedNumber();
CLI::Validator Utf8Text();
CLI::Validator NonEmptyPath();
CLI::Validator HostAndPort(bool allow_port_zero);

// --forest-scales LIST, the sizes msrf's boundary forest runs at, into `scales`; it
// excludes --edges, which `cmd` must already have.
CLI::Option* AddForestScalesOption(CLI::App* cmd, std::vector<double>* scales);
// When `option` was given: checks its list and sets `edges.forest_scales` to it.
Status ApplyForestScales(const CLI::Option& option, const std::vector<double>& scales,
                         EdgeOptions& edges);

// True when `text` is valid UTF-8.
bool IsUtf8(const std::string& text);

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
