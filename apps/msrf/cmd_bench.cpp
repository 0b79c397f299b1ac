// msrf bench ethz --root DIR --out OUTDIR: the ETHZ Shape Classes protocol, msrf and its
// peers in one run on the same images, edges and models (the run is shape_bench.cpp's, as
// for `msrf bench shapes`, cmd_bench_shapes.cpp).
// msrf bench bsds --root DIR --out OUTDIR: the BSDS500 boundary benchmark, boundary maps
// scored against human boundaries (ODS, OIS, AP).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <sstream>
#include <vector>

#include "msrf/cli.h"
#include "msrf/common.h"
#include "msrf/core/parallel.h"
#include "msrf/core/stopwatch.h"
#include "msrf/eval/bench.h"
#include "msrf/eval/bsds.h"
#include "msrf/eval/ethz.h"
#include "msrf/io/file_io.h"
#include "msrf/io/image_io.h"
#include "msrf/io/options_json.h"
#include "msrf/io/overlay.h"
#include "msrf/progress.h"
#include "shape_bench.h"

namespace msrf::cli {
namespace {

// ---- msrf bench bsds ----------------------------------------------------------------------

constexpr const char* kBsdsCommand = "bench bsds";

struct BsdsArgs {
  std::string root;
  std::string split = "val";
  std::string out;
  std::string methods = "msrf,gradient";
  std::vector<std::string> maps;  // NAME=FOLDER
  int threads = 0;
};

bool IsMethodName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
  });
}

// A method of --methods: its BsdsMethod, and the detector's options when it has one.
struct NamedBsdsMethod {
  BsdsMethod method;
  bool detector = false;
  BoundaryOptions options;
};

Result<std::vector<NamedBsdsMethod>> MakeBsdsMethods(const std::string& list) {
  std::vector<NamedBsdsMethod> methods;
  for (const std::string& name : SplitList(list)) {
    NamedBsdsMethod m;
    if (name == "human") {
      m.method = HumanBsdsMethod(name);
    } else {
      if (name != "msrf") {  // msrf: the default options, msrf's own detector
        Result<BoundaryMethod> parsed = ParseBoundaryMethod(name);
        if (!parsed.ok()) {
          return InvalidArgumentError("--methods: unknown method '" + name +
                                      "' (expected msrf, forest, gradient or human)");
        }
        m.options.method = *parsed;
      }
      m.options.thin = true;
      m.detector = true;
      m.method = DetectorBsdsMethod(name, m.options);
    }
    methods.push_back(std::move(m));
  }
  return methods;
}

// --maps NAME=FOLDER, as (NAME, FOLDER) pairs.
Result<std::vector<std::pair<std::string, std::string>>> ParseBsdsMaps(
    const std::vector<std::string>& maps) {
  std::vector<std::pair<std::string, std::string>> parsed;
  for (const std::string& entry : maps) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
      return InvalidArgumentError("--maps " + entry + ": expected NAME=FOLDER");
    }
    const std::string name = entry.substr(0, eq);
    if (!IsMethodName(name)) {
      return InvalidArgumentError("--maps " + entry +
                                  ": NAME may hold letters, digits, '-', '_' and '.' only");
    }
    parsed.emplace_back(name, entry.substr(eq + 1));
  }
  return parsed;
}

struct BsdsOutputs {
  std::string summary, plot, table;
  bool created_folder = false;
};

Result<BsdsOutputs> PrepareBsdsOutputs(const std::string& out) {
  std::error_code ec;
  BsdsOutputs paths;
  paths.created_folder = !std::filesystem::exists(out, ec);
  std::filesystem::create_directories(out, ec);
  if (ec || !std::filesystem::is_directory(out, ec)) {
    return InvalidArgumentError("--out " + out + ": cannot create the folder");
  }
  paths.summary = out + "/summary.json";
  paths.plot = out + "/pr.png";
  paths.table = out + "/table.txt";
  const Status st =
      CheckOutputPaths({{"--out", paths.summary}, {"--out", paths.plot}, {"--out", paths.table}});
  if (!st.ok()) {
    if (paths.created_folder) std::filesystem::remove(out, ec);
    return st;
  }
  return paths;
}

int RunBsds(const BsdsArgs& args, Context& ctx) {
  Result<std::vector<NamedBsdsMethod>> named = MakeBsdsMethods(args.methods);
  if (!named.ok()) return ctx.Fail(kBsdsCommand, named.status());
  Result<std::vector<std::pair<std::string, std::string>>> maps = ParseBsdsMaps(args.maps);
  if (!maps.ok()) return ctx.Fail(kBsdsCommand, maps.status());
  std::vector<std::string> names;
  for (const NamedBsdsMethod& m : *named) names.push_back(m.method.name);
  for (const auto& [name, folder] : *maps) names.push_back(name);
  if (names.empty()) return ctx.Fail(kBsdsCommand, InvalidArgumentError("--methods is empty"));
  for (size_t i = 0; i < names.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (names[i] == names[j]) {
        return ctx.Fail(kBsdsCommand, InvalidArgumentError("method '" + names[i] +
                                                           "' is given twice (--methods, --maps)"));
      }
    }
  }

  Result<BsdsSplit> split = ReadBsdsSplit(args.root, args.split);
  if (!split.ok()) return ctx.Fail(kBsdsCommand, split.status().WithContext("--root"));
  for (const auto& [name, folder] : *maps) {
    const Status st = CheckBsdsMapFolder(*split, folder);
    if (!st.ok()) return ctx.Fail(kBsdsCommand, st.WithContext("--maps " + name));
  }
  // A detector that cannot run (msrf's forest before it is trained) fails here, before any
  // work, rather than on the first image.
  for (const NamedBsdsMethod& m : *named) {
    if (!m.detector) continue;
    Result<BoundaryMap> probe =
        DetectBoundaries(cv::Mat(32, 32, CV_8UC3, cv::Scalar::all(128)), m.options);
    if (!probe.ok()) {
      return ctx.Fail(kBsdsCommand, probe.status().WithContext("--methods " + m.method.name));
    }
  }
  Result<BsdsOutputs> paths = PrepareBsdsOutputs(args.out);
  if (!paths.ok()) return ctx.Fail(kBsdsCommand, paths.status());
  auto fail = [&](const Status& status) {
    std::error_code ec;
    if (paths->created_folder) std::filesystem::remove(args.out, ec);  // only when empty
    return ctx.Fail(kBsdsCommand, status);
  };

  // Images are read on several threads, each with codec warnings kept off stderr; the
  // progress bar waits while stderr is silenced.
  std::mutex stderr_mutex;
  const BsdsImageReader reader = [&stderr_mutex](const std::string& path, int flags) {
    const std::lock_guard<std::mutex> lock(stderr_mutex);
    const QuietStderr quiet;
    ImageReadOptions options;
    options.imread_flags = flags;
    return ReadImage(path, options);
  };
  std::vector<BsdsMethod> methods;
  for (const NamedBsdsMethod& m : *named) methods.push_back(m.method);
  for (const auto& [name, folder] : *maps)
    methods.push_back(MapFolderBsdsMethod(name, folder, reader));

  const ThreadLimit thread_limit(args.threads);
  const Stopwatch wall;
  Progress progress(static_cast<int>(methods.size() * split->images.size()));
  auto observe = [&](const std::string& method, size_t image) {
    const std::lock_guard<std::mutex> lock(stderr_mutex);
    progress.Step(method + " " + split->images[image].id);
  };
  const BsdsOptions options;
  Result<std::vector<BsdsMethodResult>> runs =
      RunBsdsBench(*split, methods, options, reader, observe);
  if (!runs.ok()) return fail(runs.status());

  const std::string table = BsdsTable(*split, *runs, options);
  Result<std::string> png = EncodePng(DrawPrCurves(
      *runs, "BSDS500 " + args.split + " (" + std::to_string(split->images.size()) + " images)"));
  if (!png.ok()) return fail(png.status());
  const Status st = WriteOutputs({{paths->summary, BsdsSummaryJson(*split, *runs, options)},
                                  {paths->plot, *png},
                                  {paths->table, table}});
  if (!st.ok()) return fail(st);
  ctx.out << table;
  char line[96];
  std::snprintf(line, sizeof(line), "wall time %.1f s on %d threads\n", wall.Seconds(),
                MaxThreads());
  ctx.out << line;
  ctx.out << "-> " << paths->summary << ", " << paths->plot << ", " << paths->table << "\n";
  return kExitOk;
}

}  // namespace

void AddBenchCommand(CLI::App& app, Context& context) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmarks on shape and boundary datasets.");
  bench->require_subcommand(1);
  auto args = std::make_shared<ShapeBenchArgs>();
  auto root = std::make_shared<std::string>();
  args->edges = "berkeley";
  CLI::App* cmd = bench->add_subcommand(
      "ethz",
      "The ETHZ Shape Classes protocol: every class's hand-drawn model on every image, "
      "detection rate vs false positives per image, msrf and its peers side by side.");
  cmd->add_option("--root", *root, "Dataset root with the ETHZ v1.2 layout")->required();
  AddShapeBenchOptions(cmd, *args, {"berkeley", "auto", "forest", "canny"},
                       "Edges: the Berkeley maps beside the images, or msrf's own (auto: what "
                       "`msrf detect` uses without --edges, now forest; or canny)");
  cmd->callback([args, root, &context] {
    context.action = [args, root, &context] {
      return RunShapeBench(
          "bench ethz", *args,
          [&] {
            Result<ShapeDataset> data = ReadEthzDataset(*root, SplitList(args->classes));
            return data.ok() ? data : data.status().WithContext("--root");
          },
          context);
    };
  });
  AddBenchShapesCommands(bench, context);

  auto bsds_args = std::make_shared<BsdsArgs>();
  CLI::App* bsds = bench->add_subcommand(
      "bsds",
      "The BSDS500 boundary benchmark: boundary maps against every annotator's boundaries over "
      "99 thresholds, precision vs recall, ODS, OIS and AP (docs/boundaries.md).");
  bsds->add_option("--root", bsds_args->root, "Dataset root with train/ and val/ (BSDS500 layout)")
      ->required()
      ->check(NonEmptyPath());
  bsds->add_option("--split", bsds_args->split, "The split to score")
      ->check(CLI::IsMember({"train", "val", "test"}))
      ->capture_default_str();
  bsds->add_option("--out", bsds_args->out, "Output folder (summary.json, pr.png, table.txt)")
      ->required()
      ->check(NonEmptyPath());
  bsds->add_option("--methods", bsds_args->methods,
                   "Comma-separated: msrf (msrf's own detector), forest, gradient, human (each "
                   "annotator against the others)")
      ->capture_default_str();
  bsds->add_option("--maps", bsds_args->maps,
                   "NAME=FOLDER: score precomputed maps FOLDER/<id>.png (8- or 16-bit) as "
                   "method NAME; may be repeated");
  bsds->add_option("--threads", bsds_args->threads, "Worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  bsds->callback([bsds_args, &context] {
    context.action = [bsds_args, &context] { return RunBsds(*bsds_args, context); };
  });
}

}  // namespace msrf::cli
