#include "msrf/common.h"

#if MSRF_WITH_REMOTE
#include "msrf/remote/remote_executor.h"
#endif

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/pyramid/edge_detector.h"

namespace msrf::cli {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

}  // namespace

QuietStderr::QuietStderr() {
  std::fflush(stderr);
  saved_ = ::dup(STDERR_FILENO);
  const int null_fd = ::open("/dev/null", O_WRONLY);
  if (saved_ >= 0 && null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
  if (null_fd >= 0) ::close(null_fd);
}

QuietStderr::~QuietStderr() {
  if (saved_ < 0) return;
  std::fflush(stderr);
  ::dup2(saved_, STDERR_FILENO);
  ::close(saved_);
}

Result<ShapeModel> ReadShapeModel(const std::string& path, const ShapeModelOptions& options,
                                  ModelImageKind kind) {
  const QuietStderr quiet;
  return LoadShapeModel(path, options, kind);
}

Result<InputImage> ReadInputImage(const std::string& image_path, const std::string& edges_path,
                                  int64_t max_pixels) {
  const QuietStderr quiet;
  ImageReadOptions read;
  read.max_pixels = max_pixels;
  InputImage in;
  Result<cv::Mat> image = ReadImage(image_path, read);
  if (!image.ok()) {
    Status st = image.status().WithContext("IMAGE");
    if (st.code() == StatusCode::kOutOfRange)
      st = Status(st.code(), st.message() + " (raise --max-pixels to allow it)");
    return st;
  }
  in.image = std::move(image).value();
  if (edges_path.empty()) return in;

  read.imread_flags = -1;  // cv::IMREAD_UNCHANGED: keep 16-bit and float maps as they are
  Result<cv::Mat> edge_map = ReadImage(edges_path, read);
  if (!edge_map.ok()) return edge_map.status().WithContext("--edges");
  if (edge_map->size() != in.image.size()) {
    return FailedPreconditionError(
        "--edges: " + edges_path + ": edge map is " + std::to_string(edge_map->cols) + "x" +
        std::to_string(edge_map->rows) + " but the image is " + std::to_string(in.image.cols) +
        "x" + std::to_string(in.image.rows));
  }
  Result<cv::Mat> strength = EdgeStrengthFromMap(*edge_map);
  if (!strength.ok()) return strength.status().WithContext("--edges: " + edges_path);
  double max_strength = 0;
  cv::minMaxLoc(*strength, nullptr, &max_strength);
  if (max_strength <= 0)
    return InvalidArgumentError("--edges: " + edges_path +
                                ": the edge map is empty (no edge pixels)");
  in.edge_strength = std::move(strength).value();
  return in;
}

Status CheckOutputPaths(const std::vector<std::pair<std::string, std::string>>& outputs) {
  for (const auto& [option, path] : outputs) {
    if (path.empty()) continue;
    if ((option == "--overlay" || option == "--preview") && !EndsWith(path, ".png")) {
      return InvalidArgumentError(option + " " + path + ": the picture is a PNG; name it *.png");
    }
    if (option == "--svg" && !EndsWith(path, ".svg")) {
      return InvalidArgumentError(option + " " + path + ": name the SVG *.svg");
    }
    Status st = CheckWritablePath(path);
    if (!st.ok()) return InvalidArgumentError(option + ": " + st.message());
  }
  return Status::Ok();
}

Status WriteOutputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  std::vector<std::string> written;
  for (const auto& [path, bytes] : outputs) {
    if (path.empty()) continue;
    Status st = WriteFileAtomically(path, bytes);
    if (!st.ok()) {
      for (const std::string& w : written) std::remove(w.c_str());
      return st;
    }
    written.push_back(path);
  }
  return Status::Ok();
}

Result<LevelExecutorChoice> OpenLevelExecutor(const std::string& nodes_path, bool compact,
                                              const std::string& command, std::ostream& err) {
  LevelExecutorChoice choice;
  if (nodes_path.empty()) {
    choice.executor = std::make_unique<LocalLevelExecutor>();
    return choice;
  }
#if MSRF_WITH_REMOTE
  Result<remote::RemoteOptions> nodes = remote::ReadNodesConfig(nodes_path);
  if (!nodes.ok()) return nodes.status().WithContext("--nodes");
  if (compact) nodes->compact = true;
  for (const remote::NodeEndpoint& node : nodes->nodes) {
    if (node.insecure) {
      err << "msrf " << command << ": warning: node " << node.address
          << " is insecure (no TLS, no certificates); loopback only, for testing" << std::endl;
    }
  }
  nodes->log = [&err, command](const std::string& line) {
    err << "msrf " << command << ": " << line << std::endl;
  };
  Result<std::unique_ptr<remote::RemoteLevelExecutor>> created =
      remote::RemoteLevelExecutor::Create(std::move(nodes).value());
  if (!created.ok()) return created.status().WithContext("--nodes");
  choice.executor = std::move(created).value();
  return choice;
#else
  (void)compact;
  (void)command;
  (void)err;
  return FailedPreconditionError(
      "--nodes: this build has no edge-node support (configured "
      "without gRPC)");
#endif
}

void PrintNodeSummary(const LevelExecutor& executor, size_t images, std::ostream& out) {
  const LevelExecutorReport report = executor.Report();
  if (report.nodes.empty()) return;  // only an executor with nodes has anything to say
  char line[512];
  std::snprintf(line, sizeof(line),
                "levels: %d here; plan changed between images %d time(s) of %zu\n",
                report.local_levels, report.replans, images > 0 ? images - 1 : 0);
  out << line;
  for (const LevelNodeReport& n : report.nodes) {
    std::snprintf(
        line, sizeof(line),
        "node %s: %d level(s), %d failed%s; round trip %.1f ms, link %.1f MB/s, %.0f px/ms\n",
        n.address.c_str(), n.levels_done, n.levels_failed,
        n.disabled  ? ", not used (refused)"
        : n.benched ? ", benched"
                    : "",
        n.latency_ms, n.bytes_per_ms / 1e3, n.work_per_ms);
    out << line;
  }
}

}  // namespace msrf::cli
