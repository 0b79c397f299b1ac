#include "msrf/common.h"

#if MSRF_WITH_REMOTE
#include "msrf/remote/remote_executor.h"
#endif

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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
    // The pixel limit is an option; the file size limit is not.
    if (st.code() == StatusCode::kOutOfRange && st.message().find(" pixels") != std::string::npos)
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

Status CheckOutputPaths(const NamedPaths& outputs, const NamedPaths& inputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    const auto& [option, path] = outputs[i];
    if (path.empty()) continue;
    if ((option == "--overlay" || option == "--preview") && !EndsWith(path, ".png")) {
      return InvalidArgumentError(option + " " + path + ": the picture is a PNG; name it *.png");
    }
    if (option == "--svg" && !EndsWith(path, ".svg")) {
      return InvalidArgumentError(option + " " + path + ": name the SVG *.svg");
    }
    for (const auto& [input_option, input] : inputs) {
      if (!input.empty() && SameFile(path, input)) {
        return InvalidArgumentError(option + " " + path + ": is the input " + input_option + " " +
                                    input + "; it would be overwritten");
      }
    }
    for (size_t j = 0; j < i; ++j) {
      const auto& [other_option, other] = outputs[j];
      if (!other.empty() && SameFile(path, other)) {
        return InvalidArgumentError(option + " " + path + ": is also the output " + other_option +
                                    " " + other);
      }
    }
    Status st = CheckWritablePath(path);
    if (!st.ok()) return InvalidArgumentError(option + ": " + st.message());
  }
  return Status::Ok();
}

Status WriteOutputs(const std::vector<std::pair<std::string, std::string>>& outputs) {
  StagedFiles files;
  for (const auto& [path, bytes] : outputs) {
    if (!path.empty()) MSRF_RETURN_IF_ERROR(files.Stage(path, bytes));
  }
  return files.Commit();
}

CLI::Option* AddForestScalesOption(CLI::App* cmd, std::vector<double>* scales) {
  return cmd
      ->add_option("--forest-scales", *scales,
                   "Sizes msrf's boundary forest runs at, as factors of the photo's, their maps "
                   "averaged (1 to 4 in [0.25, 4]; 1: about 5x faster)")
      ->delimiter(',')
      ->excludes("--edges")
      ->default_str("0.5,1,2");
}

Status ApplyForestScales(const CLI::Option& option, const std::vector<double>& scales,
                         EdgeOptions& edges) {
  if (option.count() == 0) return Status::Ok();
  MSRF_RETURN_IF_ERROR(CheckForestScales("--forest-scales", scales));
  edges.forest_scales = scales;
  return Status::Ok();
}

bool IsUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    uint32_t code = 0, least = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, code = c & 0x1F, least = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, code = c & 0x0F, least = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, code = c & 0x07, least = 0x10000;
    } else {
      return false;
    }
    if (i + static_cast<size_t>(extra) >= text.size()) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
      if ((d & 0xC0) != 0x80) return false;
      code = (code << 6) | (d & 0x3F);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (code < least || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
    i += static_cast<size_t>(extra) + 1;
  }
  return true;
}

CLI::Validator FiniteNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        char* end = nullptr;
        const double x = std::strtod(value.c_str(), &end);
        if (value.empty() || end != value.c_str() + value.size())
          return "'" + value + "' is not a number";
        if (!std::isfinite(x)) return "must be a finite number, not '" + value + "'";
        return "";
      },
      "FINITE");
}

CLI::Validator SeedNumber() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::string error = "must be a whole number in [0, 2^64), not '" + value + "'";
        if (value.empty() || value.size() > 20) return error;
        for (char c : value) {
          if (c < '0' || c > '9') return error;
        }
        errno = 0;
        std::strtoull(value.c_str(), nullptr, 10);
        return errno == ERANGE ? error : "";
      },
      "SEED");
}

CLI::Validator Utf8Text() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        return IsUtf8(value) ? "" : "is not valid UTF-8 text";
      },
      "UTF-8");
}

CLI::Validator NonEmptyPath() {
  return CLI::Validator(
      [](std::string& value) -> std::string { return value.empty() ? "the path is empty" : ""; },
      "PATH");
}

CLI::Validator HostAndPort(bool allow_port_zero) {
  return CLI::Validator(
      [allow_port_zero](std::string& value) -> std::string {
        const size_t colon = value.rfind(':');
        const std::string port = colon == std::string::npos ? "" : value.substr(colon + 1);
        const std::string range = allow_port_zero ? "0..65535" : "1..65535";
        std::string error = "'" + value + "' is not HOST:PORT with PORT in " + range;
        if (colon == 0 || port.empty() || port.size() > 5) return error;
        for (char c : port) {
          if (c < '0' || c > '9') return error;
        }
        const long number = std::strtol(port.c_str(), nullptr, 10);
        if (number > 65535 || (number == 0 && !allow_port_zero)) return error;
        return "";
      },
      "HOST:PORT");
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
