#include "msrf/remote/remote_executor.h"

#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "codec.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "msrf/core/build_info.h"
#include "msrf/pyramid/edge_detector.h"
#include "msrf/remote/credentials.h"
#include "msrf/remote/placement.h"
#include "msrf/remote/v1/level_worker.grpc.pb.h"
#include "msrf/synth/scene.h"

namespace msrf::remote {
namespace {

using Json = nlohmann::json;
using SystemClock = std::chrono::system_clock;

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::CANCELLED: return "cancelled";
    case grpc::INVALID_ARGUMENT: return "invalid argument";
    case grpc::DEADLINE_EXCEEDED: return "deadline exceeded";
    case grpc::FAILED_PRECONDITION: return "failed precondition";
    case grpc::RESOURCE_EXHAUSTED: return "resource exhausted";
    case grpc::UNAUTHENTICATED: return "unauthenticated";
    case grpc::PERMISSION_DENIED: return "permission denied";
    case grpc::UNAVAILABLE: return "unavailable";
    case grpc::INTERNAL: return "internal error";
    default: return "error";
  }
}

std::string Describe(const grpc::Status& s, int deadline_ms) {
  if (s.error_code() == grpc::DEADLINE_EXCEEDED) {
    return "no answer within " + std::to_string(deadline_ms) + " ms";
  }
  std::string message = s.error_message();
  if (s.error_code() == grpc::UNAVAILABLE) {
    // gRPC's text nests the reason after the address: keep the reason.
    const size_t last = message.rfind(": ");
    if (last != std::string::npos) message = message.substr(last + 2);
    return "unreachable" + (message.empty() ? "" : ": " + message);
  }
  std::string text = CodeName(s.error_code());
  if (!message.empty()) text += ": " + message;
  return text;
}

// A refusal that will not change by retrying: the node does not trust us or runs other code.
bool IsRefusal(const grpc::Status& s) {
  return s.error_code() == grpc::UNAUTHENTICATED || s.error_code() == grpc::PERMISSION_DENIED ||
         s.error_code() == grpc::FAILED_PRECONDITION;
}

std::string HostOf(const std::string& address) { return address.substr(0, address.rfind(':')); }

}  // namespace

Status RemoteOptions::Validate() const {
  if (nodes.empty()) return InvalidArgumentError("no nodes");
  for (size_t i = 0; i < nodes.size(); ++i) {
    const NodeEndpoint& n = nodes[i];
    const std::string where = "nodes[" + std::to_string(i) + "]";
    const size_t colon = n.address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == n.address.size()) {
      return InvalidArgumentError(where + ".address must be HOST:PORT, got '" + n.address + "'");
    }
    if (n.insecure && !IsLoopbackAddress(n.address)) {
      return InvalidArgumentError(where + ".insecure is only allowed for loopback addresses");
    }
    if (!n.insecure && (n.ca_pem.empty() || n.cert_pem.empty() || n.key_pem.empty())) {
      return InvalidArgumentError(where + " needs ca, cert and key (mutual TLS)");
    }
    if (n.token.empty()) return InvalidArgumentError(where + " needs a token_file");
    if (n.max_level_pixels < 0) {
      return InvalidArgumentError(where + ".max_level_pixels must be >= 0 (0: no limit)");
    }
    if (n.deadline_ms < 10 || n.deadline_ms > 3600000) {
      return InvalidArgumentError(where + ".deadline_ms must be in [10, 3600000]");
    }
  }
  if (handshake_deadline_ms < 10 || health_deadline_ms < 10) {
    return InvalidArgumentError("handshake and health deadlines must be at least 10 ms");
  }
  if (max_message_bytes < (int64_t{1} << 20) || max_message_bytes > (int64_t{1} << 30)) {
    return InvalidArgumentError("max_message_bytes must be in [1 MiB, 1 GiB]");
  }
  if (tile_pixels != 0 && tile_pixels < 4096) {
    return InvalidArgumentError("tile_pixels must be 0 (no tiles) or at least 4096, got " +
                                std::to_string(tile_pixels));
  }
  return Status::Ok();
}

Result<RemoteOptions> ReadNodesConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseNodesConfig(text.str(), path);
}

Result<RemoteOptions> ParseNodesConfig(std::string_view text, const std::string& source) {
  const std::string& path = source;
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    return InvalidArgumentError(path + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!doc.is_object()) return InvalidArgumentError(path + ": must hold a JSON object");
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const std::set<std::string> shared_keys = {
      "ca", "cert", "key", "token_file", "insecure", "deadline_ms", "max_level_pixels"};
  RemoteOptions options;
  for (const auto& [key, value] : doc.items()) {
    if (key == "coordinator_works" || key == "replan" || key == "compact") {
      if (!value.is_boolean())
        return InvalidArgumentError(path + ": " + key + " must be true or false");
      (key == "replan"    ? options.replan
       : key == "compact" ? options.compact
                          : options.coordinator_works) = value.get<bool>();
    } else if (key == "tile_pixels") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
          value.get<int64_t>() > (int64_t{1} << 30)) {
        return InvalidArgumentError(path +
                                    ": tile_pixels must be an integer, 0 (no tiles) or "
                                    "at least 4096");
      }
      options.tile_pixels = static_cast<int>(value.get<int64_t>());
    } else if (!shared_keys.count(key) && key != "nodes") {
      return InvalidArgumentError(path + ": unknown key '" + key + "'");
    }
  }
  if (!doc.contains("nodes") || !doc["nodes"].is_array() || doc["nodes"].empty() ||
      doc["nodes"].size() > 256) {
    return InvalidArgumentError(path + ": \"nodes\" must be an array of 1 to 256 nodes");
  }
  std::map<std::string, std::string> files;  // resolved path -> contents
  for (size_t i = 0; i < doc["nodes"].size(); ++i) {
    const Json& entry = doc["nodes"][i];
    const std::string where = path + ": nodes[" + std::to_string(i) + "]";
    if (!entry.is_object()) return InvalidArgumentError(where + " must be an object");
    for (const auto& [key, value] : entry.items()) {
      if (!shared_keys.count(key) && key != "address" && key != "server_name") {
        return InvalidArgumentError(where + ": unknown key '" + key + "'");
      }
    }
    // A node's own value, else the file's default.
    auto field = [&](const std::string& key) -> const Json* {
      if (entry.contains(key)) return &entry[key];
      if (doc.contains(key)) return &doc[key];
      return nullptr;
    };
    auto string_field = [&](const std::string& key, std::string& out) -> Status {
      const Json* v = field(key);
      if (!v) return Status::Ok();
      if (!v->is_string() || v->get<std::string>().empty()) {
        return InvalidArgumentError(where + "." + key + " must be a non-empty string");
      }
      out = v->get<std::string>();
      return Status::Ok();
    };
    auto int_field = [&](const std::string& key, int& out) -> Status {
      const Json* v = field(key);
      if (!v) return Status::Ok();
      if (!v->is_number_integer())
        return InvalidArgumentError(where + "." + key + " must be an integer");
      out = v->get<int>();
      return Status::Ok();
    };
    auto load = [&](const std::string& key, bool token) -> Result<std::string> {
      std::string file;
      MSRF_RETURN_IF_ERROR(string_field(key, file));
      if (file.empty()) return std::string();
      const std::string resolved = (folder / file).string();
      auto it = files.find(resolved);
      if (it != files.end()) return it->second;
      Result<std::string> contents = token ? ReadTokenFile(resolved) : ReadPemFile(resolved, key);
      if (!contents.ok()) return contents.status().WithContext(where + "." + key);
      files[resolved] = *contents;
      return contents;
    };
    NodeEndpoint node;
    MSRF_RETURN_IF_ERROR(string_field("address", node.address));
    if (node.address.empty()) return InvalidArgumentError(where + ": no \"address\"");
    MSRF_RETURN_IF_ERROR(string_field("server_name", node.server_name));
    if (const Json* v = field("insecure")) {
      if (!v->is_boolean()) return InvalidArgumentError(where + ".insecure must be true or false");
      node.insecure = v->get<bool>();
    }
    MSRF_RETURN_IF_ERROR(int_field("deadline_ms", node.deadline_ms));
    if (const Json* v = field("max_level_pixels")) {
      if (!v->is_number_integer()) {
        return InvalidArgumentError(where + ".max_level_pixels must be an integer");
      }
      node.max_level_pixels = v->get<int64_t>();
    }
    if (!node.insecure) {
      MSRF_ASSIGN_OR_RETURN(node.ca_pem, load("ca", false));
      MSRF_ASSIGN_OR_RETURN(node.cert_pem, load("cert", false));
      MSRF_ASSIGN_OR_RETURN(node.key_pem, load("key", false));
    }
    MSRF_ASSIGN_OR_RETURN(node.token, load("token_file", true));
    options.nodes.push_back(std::move(node));
  }
  const Status valid = options.Validate();
  if (!valid.ok()) return valid.WithContext(path);
  return options;
}

namespace {

// A new plan replaces the previous one when predicted at least this much faster.
constexpr double kReplanGain = 0.95;

double MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// The calibration job: a generated 512x384 level of silhouettes and clutter curves, no
// models (LevelWork's reference size).
// Drawn once, on first use, for every node and the coordinator.
const LevelJob& CalibrationJob() {
  static const LevelJob job = [] {
    LevelJob j;
    ClutterSceneOptions scene;
    scene.size = {512, 384};
    j.level.image = DrawClutterScene(scene).image;
    j.level.base_size = j.level.image.size();
    j.image_size = j.level.image.size();
    return j;
  }();
  return job;
}

// The work of one Run is placed in units: a job's whole level, or one tile of a tiled level.
constexpr int kTileCostKey = 1000;

struct Unit {
  size_t job = 0;
  int tile = -1;                   // in the level's tile plan; -1: the whole level
  v1::LevelRequest level_request;  // when tile < 0
  v1::TileRequest tile_request;    // when tile >= 0
  int64_t pixels = 0;              // the level's, or the tile's crop's
  int64_t request_bytes = 0;
  // The unit's kind of work in the CostModel: the level index, or kTileCostKey plus it for a
  // tile (no candidates, and pixels of a crop).
  int cost_key = 0;
  std::string name;  // for the log: "level 2", "level 0 tile 5"

  const v1::LevelRequest& level_part() const {
    return tile < 0 ? level_request : tile_request.crop();
  }
};

// A job whose level runs in tiles, and the tiles' answers as they come in.
struct TiledLevel {
  TilePlan plan;
  std::vector<TileJob> tiles;
  std::vector<TileOutput> outputs;  // by tile
  size_t left = 0;                  // tiles not answered yet
};

// A unit's answer: `level` for a whole level, `tile` for a tile.
struct UnitOutput {
  LevelOutput level;
  TileOutput tile;
};

// The tiles of `job`'s level, when it has more than `tile_pixels` pixels, edges that can be
// tiled, and a plan of two tiles or more. A level that cannot be planned runs whole (and
// fails there, if the job itself is bad).
std::unique_ptr<TiledLevel> PlanTiledLevel(const LevelJob& job, int tile_pixels) {
  if (tile_pixels <= 0 || job.level.image.total() <= static_cast<size_t>(tile_pixels) ||
      EdgeCandidateReach(job.fragments.edges.method) < 0) {
    return nullptr;
  }
  TileOptions options;
  options.max_core_pixels = tile_pixels;
  Result<TilePlan> plan = PlanTiles(job.level, job.fragments, options);
  if (!plan.ok() || plan->tiles.size() < 2) return nullptr;
  Result<std::vector<TileJob>> tiles = MakeTileJobs(job.level, *plan);
  if (!tiles.ok()) return nullptr;
  auto out = std::make_unique<TiledLevel>();
  out->plan = std::move(plan).value();
  out->tiles = std::move(tiles).value();
  out->outputs.resize(out->tiles.size());
  out->left = out->tiles.size();
  return out;
}

// The units of `jobs`, each request encoded once (reruns reuse it); `tiled` gets one entry
// per job, set for the jobs whose level is tiled.
std::vector<Unit> ExpandUnits(const std::vector<LevelJob>& jobs, const RemoteOptions& options,
                              std::vector<std::unique_ptr<TiledLevel>>& tiled) {
  std::vector<Unit> units;
  for (size_t j = 0; j < jobs.size(); ++j) {
    const LevelJob& job = jobs[j];
    tiled.push_back(PlanTiledLevel(job, options.tile_pixels));
    if (!tiled[j]) {
      Unit u;
      u.job = j;
      EncodeLevelRequest(job, LevelOptionsJson(job.fragments, job.candidates), u.level_request,
                         options.compact);
      u.pixels = static_cast<int64_t>(job.level.image.total());
      u.request_bytes = static_cast<int64_t>(u.level_request.ByteSizeLong());
      u.cost_key = job.level.index;
      u.name = "level " + std::to_string(job.level.index);
      units.push_back(std::move(u));
      continue;
    }
    // The tiles run with the plan's options, which carry the whole level's Canny threshold.
    const std::string json = LevelOptionsJson(tiled[j]->plan.options, job.candidates);
    for (const TileJob& t : tiled[j]->tiles) {
      Unit u;
      u.job = j;
      u.tile = t.tile;
      EncodeTileRequest(t, json, u.tile_request, options.compact);
      u.pixels = static_cast<int64_t>(t.level.image.total());
      u.request_bytes = static_cast<int64_t>(u.tile_request.ByteSizeLong());
      u.cost_key = kTileCostKey + job.level.index;
      u.name = "level " + std::to_string(job.level.index) + " tile " + std::to_string(t.tile);
      units.push_back(std::move(u));
    }
  }
  return units;
}

// The level of a tiled job once all its tiles are in: merged, then finished as RunLevelJob
// finishes a level, so the output is the untiled one.
Result<LevelOutput> MergeTiledLevel(const LevelJob& job, const TiledLevel& tiled) {
  MSRF_ASSIGN_OR_RETURN(LevelFragments level, MergeTiles(tiled.plan, tiled.outputs));
  return FinishLevelJob(job, std::move(level));
}

}  // namespace

struct RemoteLevelExecutor::Impl {
  struct Node {
    NodeEndpoint endpoint;
    std::unique_ptr<v1::LevelWorker::Stub> worker;
    std::unique_ptr<grpc::health::v1::Health::Stub> health;
    // Guarded by Impl::mutex.
    std::set<std::string> agreed;  // options hashes the node accepted at a handshake
    size_t slot = 0;               // in `cost`
    NodeStats stats;
  };

  RemoteOptions options;
  std::vector<std::unique_ptr<Node>> nodes;
  mutable std::mutex mutex;
  int local_levels = 0;
  int local_tiles = 0;
  std::vector<int> plan;  // slots of the previous Run's plan
  RunReport report;
  // Slot 0 the coordinator, slot k + 1 nodes[k]. Guarded by `mutex`.
  CostModel cost;

  void Log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void Authorize(grpc::ClientContext& context, const Node& node, int deadline_ms) const {
    context.set_deadline(SystemClock::now() + std::chrono::milliseconds(deadline_ms));
    context.AddMetadata("authorization", "Bearer " + node.endpoint.token);
  }

  // Caller holds the mutex.
  void Fail(Node& node, const std::string& what, bool refusal) {
    node.stats.last_error = what;
    if (refusal) {
      node.stats.disabled = true;
    } else {
      node.stats.benched = true;
    }
  }

  grpc::Status Handshake(Node& node, const std::string& options_json, const std::string& hash,
                         double* ms) {
    grpc::ClientContext context;
    Authorize(context, node, options.handshake_deadline_ms);
    v1::HandshakeRequest request;
    request.set_build_id(BuildId());
    request.set_options_json(options_json);
    request.set_options_hash(hash);
    v1::HandshakeReply reply;
    const auto start = std::chrono::steady_clock::now();
    grpc::Status s = node.worker->Handshake(&context, request, &reply);
    *ms = MsSince(start);
    return s;
  }

  // One call of `rpc` (RunLevel or RunTile) for `job`. `service_ms` is the node's own
  // time; the answer is checked by `decode` before it is used.
  template <typename Request, typename Reply, typename Job, typename Decode>
  auto CallRpc(Node& node,
               grpc::Status (v1::LevelWorker::Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                          Reply*),
               const Request& request, const Job& job, Decode decode, double* total_ms,
               double* service_ms, int64_t* reply_bytes, bool* refusal)
      -> decltype(decode(std::declval<const Reply&>(), job)) {
    grpc::ClientContext context;
    Authorize(context, node, node.endpoint.deadline_ms);
    Reply reply;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status s = (node.worker.get()->*rpc)(&context, request, &reply);
    *total_ms = MsSince(start);
    *refusal = false;
    if (!s.ok()) {
      *refusal = IsRefusal(s);
      return Status(StatusCode::kUnavailable, Describe(s, node.endpoint.deadline_ms));
    }
    *service_ms = reply.service_ms();
    *reply_bytes = static_cast<int64_t>(reply.ByteSizeLong());
    return decode(reply, job);
  }

  Result<LevelOutput> Call(Node& node, const v1::LevelRequest& request, const LevelJob& job,
                           double* total_ms, double* service_ms, int64_t* reply_bytes,
                           bool* refusal) {
    return CallRpc(
        node, &v1::LevelWorker::Stub::RunLevel, request, job,
        [](const v1::LevelReply& r, const LevelJob& j) { return DecodeLevelReply(r, j); }, total_ms,
        service_ms, reply_bytes, refusal);
  }

  Result<TileOutput> CallTile(Node& node, const v1::TileRequest& request, const TileJob& job,
                              double* total_ms, double* service_ms, int64_t* reply_bytes,
                              bool* refusal) {
    return CallRpc(
        node, &v1::LevelWorker::Stub::RunTile, request, job,
        [](const v1::TileReply& r, const TileJob& j) { return DecodeTileReply(r, j); }, total_ms,
        service_ms, reply_bytes, refusal);
  }

  // Unit `u` on `node`, its answer into `out`.
  Status CallUnit(Node& node, const Unit& u, const std::vector<LevelJob>& jobs,
                  const std::vector<std::unique_ptr<TiledLevel>>& tiled, UnitOutput& out,
                  double* total_ms, double* service_ms, int64_t* reply_bytes, bool* refusal) {
    if (u.tile < 0) {
      Result<LevelOutput> level =
          Call(node, u.level_request, jobs[u.job], total_ms, service_ms, reply_bytes, refusal);
      if (!level.ok()) return level.status();
      out.level = std::move(level).value();
      return Status::Ok();
    }
    const TileJob& job = tiled[u.job]->tiles[static_cast<size_t>(u.tile)];
    Result<TileOutput> tile =
        CallTile(node, u.tile_request, job, total_ms, service_ms, reply_bytes, refusal);
    if (!tile.ok()) return tile.status();
    out.tile = std::move(tile).value();
    return Status::Ok();
  }

  // Unit `u` in this process.
  static Status RunUnit(const Unit& u, const std::vector<LevelJob>& jobs,
                        const std::vector<std::unique_ptr<TiledLevel>>& tiled, UnitOutput& out) {
    if (u.tile < 0) {
      MSRF_ASSIGN_OR_RETURN(out.level, RunLevelJob(jobs[u.job]));
    } else {
      MSRF_ASSIGN_OR_RETURN(out.tile, RunTileJob(tiled[u.job]->tiles[static_cast<size_t>(u.tile)]));
    }
    return Status::Ok();
  }

  // Caller holds no lock. Updates the node's figures from one answered call of a level
  // (-1: the calibration level) of `pixels`.
  void Observe(Node& node, int level, double pixels, double request_bytes, double reply_bytes,
               double total_ms, double service_ms) {
    std::lock_guard<std::mutex> lock(mutex);
    cost.ObserveCall(node.slot, level, pixels, request_bytes, reply_bytes, total_ms, service_ms);
    const NodeModel& m = cost.node(node.slot);
    node.stats.latency_ms = m.latency_ms;
    node.stats.bytes_per_ms = m.bytes_per_ms;
    node.stats.work_per_ms = m.work_per_ms;
  }

  // Brings a node up to date for a run with options `hash`: a benched node must pass its
  // health check, every node must have accepted the options at a handshake, and a node
  // reached for the first time is calibrated.
  void Prepare(Node& node, const std::string& options_json, const std::string& hash) {
    bool benched, agreed, calibrated;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (node.stats.disabled) return;
      benched = node.stats.benched;
      agreed = node.agreed.count(hash) > 0;
      calibrated = cost.calibrated(node.slot);
    }
    const std::string& address = node.endpoint.address;
    if (benched) {
      grpc::ClientContext context;
      context.set_deadline(SystemClock::now() +
                           std::chrono::milliseconds(options.health_deadline_ms));
      grpc::health::v1::HealthCheckResponse response;
      const grpc::Status s = node.health->Check(&context, {}, &response);
      if (!s.ok() || response.status() != grpc::health::v1::HealthCheckResponse::SERVING) return;
      Log("node " + address + " passed its health check; back in use");
      std::lock_guard<std::mutex> lock(mutex);
      node.stats.benched = false;
      node.agreed.clear();  // it may have been restarted with another build
      agreed = false;
    }
    if (agreed) return;
    double ms = 0;
    grpc::Status s = Handshake(node, options_json, hash, &ms);
    // The first call also sets up the connection: time a second one for the round trip.
    if (s.ok() && !calibrated) s = Handshake(node, options_json, hash, &ms);
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(mutex);
      const bool refusal = IsRefusal(s);
      Fail(node, Describe(s, options.handshake_deadline_ms), refusal);
      Log("node " + address + (refusal ? " refused the handshake (" : " failed the handshake (") +
          node.stats.last_error +
          (refusal ? "); not used again" : "); benched until its health check passes"));
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      node.agreed.insert(hash);
      cost.ObserveLatency(node.slot, ms);
      node.stats.latency_ms = cost.node(node.slot).latency_ms;
    }
    if (calibrated) return;
    const LevelJob& job = CalibrationJob();
    v1::LevelRequest request;
    EncodeLevelRequest(job, LevelOptionsJson(job.fragments, job.candidates), request);
    double total = 0, service = 0;
    int64_t reply_bytes = 0;
    bool refusal = false;
    Result<LevelOutput> out = Call(node, request, job, &total, &service, &reply_bytes, &refusal);
    if (!out.ok()) {
      std::lock_guard<std::mutex> lock(mutex);
      Fail(node, out.status().message(), refusal);
      Log("node " + address + " failed its calibration (" + node.stats.last_error +
          "); benched until its health check passes");
      return;
    }
    Observe(node, -1, static_cast<double>(job.level.image.total()),
            static_cast<double>(request.ByteSizeLong()), static_cast<double>(reply_bytes), total,
            service);
  }

  void CalibrateCoordinator() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (cost.calibrated(0)) return;
    }
    // The median of three runs: the first also warms the caches and the thread pool.
    const LevelJob& job = CalibrationJob();
    std::array<double, 3> ms{};
    for (double& t : ms) {
      const auto start = std::chrono::steady_clock::now();
      (void)RunLevelJob(job);
      t = std::max(0.01, MsSince(start));
    }
    std::sort(ms.begin(), ms.end());
    std::lock_guard<std::mutex> lock(mutex);
    cost.ObserveLocal(-1, static_cast<double>(job.level.image.total()), ms[1]);
  }
};

RemoteLevelExecutor::RemoteLevelExecutor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RemoteLevelExecutor::~RemoteLevelExecutor() = default;

Result<std::unique_ptr<RemoteLevelExecutor>> RemoteLevelExecutor::Create(RemoteOptions options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  auto impl = std::make_unique<Impl>();
  for (const NodeEndpoint& endpoint : options.nodes) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
    args.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
    // Each node its own connection, and quick reconnects after a node comes back.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (endpoint.insecure) {
      credentials = grpc::InsecureChannelCredentials();
    } else {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = endpoint.ca_pem;
      ssl.pem_private_key = endpoint.key_pem;
      ssl.pem_cert_chain = endpoint.cert_pem;
      credentials = grpc::SslCredentials(ssl);
      if (!endpoint.server_name.empty() && endpoint.server_name != HostOf(endpoint.address)) {
        args.SetSslTargetNameOverride(endpoint.server_name);
      }
    }
    auto channel = grpc::CreateCustomChannel(endpoint.address, credentials, args);
    auto node = std::make_unique<Impl::Node>();
    node->endpoint = endpoint;
    node->worker = v1::LevelWorker::NewStub(channel);
    node->health = grpc::health::v1::Health::NewStub(channel);
    node->stats.address = endpoint.address;
    node->slot = impl->nodes.size() + 1;
    impl->nodes.push_back(std::move(node));
  }
  impl->cost = CostModel(impl->nodes.size() + 1);
  impl->options = std::move(options);
  return std::unique_ptr<RemoteLevelExecutor>(new RemoteLevelExecutor(std::move(impl)));
}

Result<std::vector<LevelOutput>> RemoteLevelExecutor::Run(const std::vector<LevelJob>& jobs) {
  Impl& impl = *impl_;
  std::vector<LevelOutput> outputs(jobs.size());
  if (jobs.empty()) return outputs;

  // The work in units (levels, and tiles of the tiled levels); from here on, j names a unit.
  std::vector<std::unique_ptr<TiledLevel>> tiled;
  std::vector<Unit> units = ExpandUnits(jobs, impl.options, tiled);
  std::vector<UnitOutput> unit_outputs(units.size());
  const size_t n = units.size();
  std::vector<LevelCost> costs(n);
  std::vector<int64_t> request_bytes(n);
  std::map<std::string, std::string> hashes;  // options hash -> options JSON
  for (size_t j = 0; j < n; ++j) {
    hashes.emplace(units[j].level_part().options_hash(), units[j].level_part().options_json());
    request_bytes[j] = units[j].request_bytes;
  }
  {
    std::vector<std::thread> prepare;
    for (auto& node : impl.nodes) {
      prepare.emplace_back([&impl, &node, &hashes] {
        for (const auto& [hash, json] : hashes) impl.Prepare(*node, json, hash);
      });
    }
    impl.CalibrateCoordinator();
    for (std::thread& t : prepare) t.join();
  }

  std::mutex& mutex = impl.mutex;
  std::unique_lock<std::mutex> lock(mutex);
  for (size_t j = 0; j < n; ++j) {
    costs[j] = impl.cost.Cost(units[j].cost_key, static_cast<double>(units[j].pixels),
                              static_cast<double>(request_bytes[j]));
  }
  const size_t slots = impl.nodes.size() + 1;  // 0: the coordinator
  auto node_of = [&](size_t slot) -> Impl::Node& { return *impl.nodes[slot - 1]; };
  auto usable = [&](size_t slot, size_t j) {
    if (slot == 0) return true;
    const Impl::Node& node = node_of(slot);
    return !node.stats.disabled && !node.stats.benched && impl.cost.calibrated(slot) &&
           node.agreed.count(units[j].level_part().options_hash()) > 0 &&
           (node.endpoint.max_level_pixels == 0 ||
            units[j].pixels <= node.endpoint.max_level_pixels);
  };
  // The cost model as it stands: an unusable node (or the coordinator, when it should not
  // work) is priced out.
  std::vector<NodeModel> models(slots);
  const bool any_node = [&] {
    for (size_t k = 1; k < slots; ++k) {
      if (usable(k, 0)) return true;
    }
    return false;
  }();
  if (!any_node) impl.Log("no node is usable: the levels run locally");
  models[0] = impl.cost.node(0);
  if (!impl.options.coordinator_works && any_node) models[0].work_per_ms = 1e-9;
  for (size_t k = 1; k < slots; ++k) {
    models[k] = impl.cost.node(k);
    if (!usable(k, 0)) models[k] = {0.0, 0.0, 1e-9};
  }
  // Levels a node may not take are priced out through a per-level copy of the model.
  auto predict = [&](size_t j, size_t slot) {
    if (slot > 0 && !usable(slot, j)) return 1e30;
    return PredictMs(costs[j], models[slot]);
  };
  Placement plan = PlaceLevels(costs, models);
  for (size_t j = 0; j < n; ++j) {
    if (predict(j, static_cast<size_t>(plan.node_of_level[j])) >= 1e29) {
      plan.node_of_level[j] = 0;  // a level too big for its node goes home
    }
  }
  const bool exact = plan.exact;
  plan = Evaluate(plan.node_of_level, costs, models);
  RunReport report;
  report.exact = exact;
  const bool plan_valid = impl.plan.size() == n && [&] {
    for (size_t j = 0; j < n; ++j) {
      if (predict(j, static_cast<size_t>(impl.plan[j])) >= 1e29) return false;
    }
    return true;
  }();
  if (plan_valid) {
    const Placement previous = Evaluate(impl.plan, costs, models);
    if (!impl.options.replan || plan.makespan_ms >= kReplanGain * previous.makespan_ms) {
      plan = previous;
    }
  }
  report.replanned = !impl.plan.empty() && impl.plan != plan.node_of_level;
  impl.plan = plan.node_of_level;
  report.planned_slot = plan.node_of_level;
  report.ran_slot.assign(n, -1);
  for (const Unit& u : units) {
    report.unit_job.push_back(static_cast<int>(u.job));
    report.unit_tile.push_back(u.tile);
  }
  for (const auto& t : tiled) report.tiled_levels += t ? 1 : 0;
  report.predicted_makespan_ms = plan.makespan_ms;
  report.predicted_ms.resize(n);
  for (size_t j = 0; j < n; ++j)
    report.predicted_ms[j] = predict(j, static_cast<size_t>(plan.node_of_level[j]));
  report.measured_ms.assign(n, 0.0);

  // Each slot runs its queue one level after another, biggest first (the plan's order).
  std::vector<std::deque<size_t>> queues(slots);
  std::vector<size_t> order(n);
  for (size_t j = 0; j < n; ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return costs[a].work > costs[b].work; });
  for (size_t j : order) queues[static_cast<size_t>(plan.node_of_level[j])].push_back(j);
  std::vector<bool> busy(slots, false);
  std::vector<double> busy_until(slots, 0.0);  // predicted ms left of the running job
  std::vector<std::set<size_t>> tried(n);
  std::condition_variable changed;
  std::optional<Status> local_error;
  size_t finished = 0;
  std::vector<std::thread> threads;
  const auto start = std::chrono::steady_clock::now();

  // Where job j now finishes first: the coordinator or a node that has not tried it.
  auto reassign = [&](size_t j, const char* verb) {
    size_t best = 0;
    double best_t = 1e300;
    for (size_t k = 0; k < slots; ++k) {
      if (k > 0 && (!usable(k, j) || tried[j].count(k))) continue;
      double t = busy_until[k] + predict(j, k);
      for (size_t q : queues[k]) t += predict(q, k);
      if (t < best_t) {
        best_t = t;
        best = k;
      }
    }
    queues[best].push_back(j);
    impl.Log(units[j].name + " " + verb + " " +
             (best == 0 ? std::string("locally") : "on " + node_of(best).endpoint.address));
  };

  // Takes unit j's answer (the caller holds the lock). True when it was the last tile of a
  // tiled level, which the caller then merges, without the lock.
  auto deliver = [&](size_t j, UnitOutput& out) {
    ++finished;
    const Unit& u = units[j];
    if (u.tile < 0) {
      outputs[u.job] = std::move(out.level);
      return false;
    }
    TiledLevel& t = *tiled[u.job];
    t.outputs[static_cast<size_t>(u.tile)] = std::move(out.tile);
    return --t.left == 0;
  };
  // Merges the tiles of job `job`'s level (called without the lock).
  auto merge = [&](size_t job) {
    const auto t0 = std::chrono::steady_clock::now();
    Result<LevelOutput> level = MergeTiledLevel(jobs[job], *tiled[job]);
    std::lock_guard<std::mutex> guard(mutex);
    report.merge_ms += MsSince(t0);
    if (level.ok()) {
      outputs[job] = std::move(level).value();
    } else if (!local_error) {
      local_error = level.status();
    }
    changed.notify_all();
  };

  while (finished < n && !local_error) {
    for (size_t k = 0; k < slots; ++k) {
      if (busy[k] || queues[k].empty()) continue;
      const size_t j = queues[k].front();
      queues[k].pop_front();
      busy[k] = true;
      busy_until[k] = predict(j, k);
      tried[j].insert(k);
      if (k == 0) {
        ++(units[j].tile < 0 ? impl.local_levels : impl.local_tiles);
        threads.emplace_back([&, j] {
          const auto t0 = std::chrono::steady_clock::now();
          const Status status = Impl::RunUnit(units[j], jobs, tiled, unit_outputs[j]);
          const double ms = MsSince(t0);
          std::unique_lock<std::mutex> guard(mutex);
          busy[0] = false;
          busy_until[0] = 0;
          bool merge_now = false;
          if (status.ok()) {
            impl.cost.ObserveLocal(units[j].cost_key, static_cast<double>(units[j].pixels), ms);
            merge_now = deliver(j, unit_outputs[j]);
            report.ran_slot[j] = 0;
            report.measured_ms[j] = ms;
          } else {
            local_error = status;
          }
          changed.notify_all();
          guard.unlock();
          if (merge_now) merge(units[j].job);
        });
        continue;
      }
      Impl::Node& node = node_of(k);
      threads.emplace_back([&, j, k, &node = node] {
        double total = 0, service = 0;
        int64_t reply_bytes = 0;
        bool refusal = false;
        const Status output = impl.CallUnit(node, units[j], jobs, tiled, unit_outputs[j], &total,
                                            &service, &reply_bytes, &refusal);
        if (output.ok()) {
          impl.Observe(node, units[j].cost_key, static_cast<double>(units[j].pixels),
                       static_cast<double>(request_bytes[j]), static_cast<double>(reply_bytes),
                       total, service);
        }
        std::unique_lock<std::mutex> guard(mutex);
        busy[k] = false;
        busy_until[k] = 0;
        report.bytes_sent += request_bytes[j];
        bool merge_now = false;
        if (output.ok()) {
          report.bytes_received += reply_bytes;
          merge_now = deliver(j, unit_outputs[j]);
          report.ran_slot[j] = static_cast<int>(k);
          report.measured_ms[j] = total;
          ++(units[j].tile < 0 ? node.stats.levels_done : node.stats.tiles_done);
        } else {
          ++node.stats.levels_failed;
          impl.Fail(node, output.message(), refusal);
          impl.Log("node " + node.endpoint.address + ": " + units[j].name + ": " +
                   node.stats.last_error +
                   (refusal ? "; not used again" : "; benched until its health check passes"));
          reassign(j, "rerun");
          std::deque<size_t> left;
          left.swap(queues[k]);
          for (size_t q : left) reassign(q, "moved");
        }
        changed.notify_all();
        guard.unlock();
        if (merge_now) merge(units[j].job);
      });
    }
    if (finished < n && !local_error) changed.wait(lock);
  }
  report.measured_makespan_ms = MsSince(start);
  lock.unlock();
  for (std::thread& t : threads) t.join();
  if (local_error) return *local_error;
  std::lock_guard<std::mutex> guard(mutex);
  impl.report = report;
  return outputs;
}

std::vector<NodeStats> RemoteLevelExecutor::stats() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::vector<NodeStats> out;
  for (const auto& node : impl_->nodes) out.push_back(node->stats);
  return out;
}

int RemoteLevelExecutor::local_levels() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->local_levels;
}

int RemoteLevelExecutor::local_tiles() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->local_tiles;
}

RunReport RemoteLevelExecutor::last_run() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->report;
}

}  // namespace msrf::remote
