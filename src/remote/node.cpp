#include "msrf/remote/node.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>

#include <time.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "codec.h"
#include "grpc_log.h"
#include "msrf/core/build_info.h"
#include "msrf/core/parallel.h"
#include "msrf/remote/credentials.h"
#include "msrf/remote/v1/level_worker.grpc.pb.h"

namespace msrf::remote {
namespace {

using Clock = std::chrono::steady_clock;

// CPU time of this process, ms.
double ProcessCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

grpc::Status Refuse(grpc::StatusCode code, const std::string& message) {
  return grpc::Status(code, message);
}

grpc::Status ToGrpc(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return grpc::Status::OK;
    case StatusCode::kInvalidArgument:
    case StatusCode::kOutOfRange: return Refuse(grpc::INVALID_ARGUMENT, status.message());
    case StatusCode::kFailedPrecondition:
      return Refuse(grpc::FAILED_PRECONDITION, status.message());
    default: return Refuse(grpc::INTERNAL, status.message());
  }
}

class LevelWorkerService final : public v1::LevelWorker::Service {
 public:
  explicit LevelWorkerService(const NodeOptions& options) : options_(options) {}

  grpc::Status Handshake(grpc::ServerContext* context, const v1::HandshakeRequest* request,
                         v1::HandshakeReply* reply) override {
    if (grpc::Status s = CheckCall(*context); !s.ok()) return s;
    if (request->build_id() != BuildId()) {
      return Refuse(grpc::FAILED_PRECONDITION, "build mismatch: this node runs msrf " + BuildId() +
                                                   ", the coordinator " + request->build_id() +
                                                   "; run the same build on both");
    }
    if (grpc::Status s = CheckOptions(request->options_json(), request->options_hash()); !s.ok()) {
      return s;
    }
    reply->set_build_id(BuildId());
    reply->set_threads(MaxThreads());
    Delay();
    return grpc::Status::OK;
  }

  grpc::Status RunLevel(grpc::ServerContext* context, const v1::LevelRequest* request,
                        v1::LevelReply* reply) override {
    if (grpc::Status s = CheckCall(*context); !s.ok()) return s;
    if (grpc::Status s = CheckOptions(request->options_json(), request->options_hash()); !s.ok()) {
      return s;
    }
    Result<LevelJob> job = DecodeLevelRequest(*request, options_.max_pixels);
    if (!job.ok()) return ToGrpc(job.status());
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuMs();
    Result<LevelOutput> output = RunLevelJob(*job);
    if (!output.ok()) return ToGrpc(output.status());
    SlowDown(start, cpu_start);
    if (context->IsCancelled()) return Refuse(grpc::CANCELLED, "the caller gave up");
    EncodeLevelReply(*output, *reply, request->compact_reply());
    reply->set_service_ms(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    Delay();
    if (options_.fault_garbage) {
      reply->set_index(reply->index() + 1);
      for (v1::Fragment& f : *reply->mutable_fragments()) {
        for (int i = 0; i < f.points_size(); ++i) f.set_points(i, -1e9f);
      }
    }
    return grpc::Status::OK;
  }

  grpc::Status RunTile(grpc::ServerContext* context, const v1::TileRequest* request,
                       v1::TileReply* reply) override {
    if (grpc::Status s = CheckCall(*context); !s.ok()) return s;
    const v1::LevelRequest& crop = request->crop();
    if (grpc::Status s = CheckOptions(crop.options_json(), crop.options_hash()); !s.ok()) return s;
    Result<TileJob> job = DecodeTileRequest(*request, options_.max_pixels);
    if (!job.ok()) return ToGrpc(job.status());
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuMs();
    Result<TileOutput> output = RunTileJob(*job);
    if (!output.ok()) return ToGrpc(output.status());
    SlowDown(start, cpu_start);
    if (context->IsCancelled()) return Refuse(grpc::CANCELLED, "the caller gave up");
    EncodeTileReply(*output, *reply, crop.compact_reply());
    reply->set_service_ms(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    Delay();
    if (options_.fault_garbage) {
      reply->set_core_x(reply->core_x() + 1);
      for (v1::TileChain& c : *reply->mutable_chains()) {
        if (c.points_size() > 0) c.set_points(0, -1000000);
      }
    }
    return grpc::Status::OK;
  }

 private:
  // The emulated slowdown: the work since `start` is stretched to `slowdown` times as long.
  // A device `slowdown` times slower than this machine's CPU: the answer leaves after
  // slowdown x the CPU time the work took, however busy this machine is.
  void SlowDown(Clock::time_point start, double cpu_start_ms) {
    const int call = calls_.fetch_add(1);
    if (options_.slowdown > 1.0 && call >= options_.slowdown_after) {
      const double emulated_ms = options_.slowdown * (ProcessCpuMs() - cpu_start_ms);
      std::this_thread::sleep_until(start +
                                    std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double, std::milli>(emulated_ms)));
    }
  }

  // The token, and a deadline: a call without one could hold a worker forever.
  grpc::Status CheckCall(const grpc::ServerContext& context) const {
    const auto& metadata = context.client_metadata();
    const auto it = metadata.find("authorization");
    const std::string expected = "Bearer " + options_.token;
    if (it == metadata.end() ||
        !ConstantTimeEquals(std::string_view(it->second.data(), it->second.size()), expected)) {
      return Refuse(grpc::UNAUTHENTICATED, "missing or wrong bearer token");
    }
    if (context.deadline() > std::chrono::system_clock::now() + std::chrono::hours(24)) {
      return Refuse(grpc::INVALID_ARGUMENT, "calls must carry a deadline (of at most a day)");
    }
    return grpc::Status::OK;
  }

  // The node must read the options exactly as the coordinator wrote them.
  static grpc::Status CheckOptions(const std::string& json, const std::string& hash) {
    MultiscaleOptions fragments;
    CandidateOptions candidates;
    const Status parsed = ParseLevelOptions(json, fragments, candidates);
    if (!parsed.ok()) return Refuse(grpc::INVALID_ARGUMENT, "options_json: " + parsed.message());
    const std::string ours = OptionsHash(LevelOptionsJson(fragments, candidates));
    if (OptionsHash(json) != hash || ours != hash) {
      return Refuse(grpc::FAILED_PRECONDITION, "options mismatch: the coordinator's options hash " +
                                                   hash + ", this node reads them as " + ours +
                                                   "; run the same build on both");
    }
    return grpc::Status::OK;
  }

  void Delay() const {
    if (options_.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.delay_ms));
  }

  NodeOptions options_;
  std::atomic<int> calls_{0};
};

}  // namespace

Status NodeOptions::Validate() const {
  if (listen.empty() || listen.find(':') == std::string::npos) {
    return InvalidArgumentError("listen must be HOST:PORT, got '" + listen + "'");
  }
  if (insecure && !IsLoopbackAddress(listen)) {
    return InvalidArgumentError(
        "--insecure is only allowed on a loopback address (127.0.0.1, "
        "localhost, [::1]), not '" +
        listen + "'");
  }
  if (!insecure && (cert_pem.empty() || key_pem.empty() || ca_pem.empty())) {
    return InvalidArgumentError(
        "a node needs its certificate, its key and the client CA "
        "(or --insecure on loopback)");
  }
  if (token.size() < 16) return InvalidArgumentError("the bearer token is missing or short");
  if (max_message_bytes < (int64_t{1} << 20) || max_message_bytes > (int64_t{1} << 30)) {
    return InvalidArgumentError("max_message_bytes must be in [1 MiB, 1 GiB]");
  }
  if (max_pixels < 1) return InvalidArgumentError("max_pixels must be positive");
  if (delay_ms < 0 || delay_ms > 600000)
    return InvalidArgumentError("delay_ms must be in [0, 600000]");
  if (slowdown_after < 0) return InvalidArgumentError("slowdown_after must be >= 0");
  if (!(slowdown >= 1.0 && slowdown <= 1000.0)) {
    return InvalidArgumentError("slowdown must be in [1, 1000]");
  }
  return Status::Ok();
}

struct NodeServer::Impl {
  std::unique_ptr<LevelWorkerService> service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

NodeServer::NodeServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

NodeServer::~NodeServer() { Shutdown(); }

Result<std::unique_ptr<NodeServer>> NodeServer::Start(const NodeOptions& options) {
  MSRF_RETURN_IF_ERROR(options.Validate());
  RouteGrpcLog();
  TakeGrpcError();  // only this start's errors go into its message
  auto impl = std::make_unique<Impl>();
  impl->service = std::make_unique<LevelWorkerService>(options);

  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (options.insecure) {
    credentials = grpc::InsecureServerCredentials();
  } else {
    grpc::SslServerCredentialsOptions ssl(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = options.ca_pem;
    ssl.pem_key_cert_pairs.push_back({options.key_pem, options.cert_pem});
    credentials = grpc::SslServerCredentials(ssl);
  }
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &impl->port);
  builder.RegisterService(impl->service.get());
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  impl->server = builder.BuildAndStart();
  if (!impl->server || impl->port == 0) {
    const std::string why = TakeGrpcError();
    return FailedPreconditionError("cannot listen on '" + options.listen +
                                   "' (address in use, not local, or bad certificate/key)" +
                                   (why.empty() ? "" : ": " + why));
  }
  return std::unique_ptr<NodeServer>(new NodeServer(std::move(impl)));
}

int NodeServer::port() const { return impl_->port; }

void NodeServer::Wait() {
  if (impl_->server) impl_->server->Wait();
}

void NodeServer::Shutdown() {
  if (impl_ && impl_->server) {
    impl_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }
}

}  // namespace msrf::remote
