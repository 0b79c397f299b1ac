#include "node_client.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <utility>

#include "codec.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "msrf/core/build_info.h"
#include "msrf/core/stopwatch.h"
#include "msrf/remote/v1/level_worker.grpc.pb.h"

namespace msrf::remote {

struct WireRequest {
  v1::LevelRequest level;  // a whole level's
  v1::TileRequest tile;    // a tile's
};

namespace {

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

std::shared_ptr<grpc::Channel> OpenChannel(const NodeEndpoint& endpoint,
                                           const RemoteOptions& options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  args.SetMaxSendMessageSize(static_cast<int>(options.max_message_bytes));
  // Each node its own connection, and quick reconnects after a node comes back. The minimum
  // reconnect backoff stays gRPC's (20 s): gRPC also takes it as the time a connection attempt
  // (TCP, TLS, HTTP/2 settings) may take, and at 100 ms a slow node or link never connected
  // ("timed out before receiving SETTINGS frame"). Calls still end at their own deadlines.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
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
  return grpc::CreateCustomChannel(endpoint.address, credentials, args);
}

class GrpcNodeClient final : public NodeClient {
 public:
  GrpcNodeClient(const NodeEndpoint& endpoint, const RemoteOptions& options)
      : endpoint_(endpoint),
        handshake_deadline_ms_(options.handshake_deadline_ms),
        health_deadline_ms_(options.health_deadline_ms) {
    auto channel = OpenChannel(endpoint, options);
    worker_ = v1::LevelWorker::NewStub(channel);
    health_ = grpc::health::v1::Health::NewStub(channel);
  }

  bool CheckHealth() override {
    grpc::ClientContext context;
    context.set_deadline(SystemClock::now() + std::chrono::milliseconds(health_deadline_ms_));
    grpc::health::v1::HealthCheckResponse response;
    const grpc::Status s = health_->Check(&context, {}, &response);
    return s.ok() && response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  CallResult Handshake(const std::string& options_json, const std::string& options_hash) override {
    grpc::ClientContext context;
    Authorize(context, handshake_deadline_ms_);
    v1::HandshakeRequest request;
    request.set_build_id(BuildId());
    request.set_options_json(options_json);
    request.set_options_hash(options_hash);
    v1::HandshakeReply reply;
    const Stopwatch start;
    const grpc::Status s = worker_->Handshake(&context, request, &reply);
    CallResult result;
    result.total_ms = start.Milliseconds();
    if (!s.ok()) {
      result.refusal = IsRefusal(s);
      result.status = Status(StatusCode::kUnavailable, Describe(s, handshake_deadline_ms_));
    }
    return result;
  }

  CallResult RunLevel(const UnitRequest& request, const LevelJob& job, LevelOutput& out) override {
    return Call(&v1::LevelWorker::Stub::RunLevel, request.wire->level, job, out,
                [](const v1::LevelReply& r, const LevelJob& j) { return DecodeLevelReply(r, j); });
  }

  CallResult RunTile(const UnitRequest& request, const TileJob& job, TileOutput& out) override {
    return Call(&v1::LevelWorker::Stub::RunTile, request.wire->tile, job, out,
                [](const v1::TileReply& r, const TileJob& j) { return DecodeTileReply(r, j); });
  }

 private:
  void Authorize(grpc::ClientContext& context, int deadline_ms) const {
    context.set_deadline(SystemClock::now() + std::chrono::milliseconds(deadline_ms));
    context.AddMetadata("authorization", "Bearer " + endpoint_.token);
  }

  // One call of `rpc` (RunLevel or RunTile) for `job`; the answer is checked by `decode`
  // before it is used.
  template <typename Request, typename Reply, typename Job, typename Output, typename Decode>
  CallResult Call(grpc::Status (v1::LevelWorker::Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                             Reply*),
                  const Request& request, const Job& job, Output& out, Decode decode) {
    grpc::ClientContext context;
    Authorize(context, endpoint_.deadline_ms);
    Reply reply;
    const Stopwatch start;
    const grpc::Status s = (worker_.get()->*rpc)(&context, request, &reply);
    CallResult result;
    result.total_ms = start.Milliseconds();
    if (!s.ok()) {
      result.refusal = IsRefusal(s);
      result.status = Status(StatusCode::kUnavailable, Describe(s, endpoint_.deadline_ms));
      return result;
    }
    result.service_ms = reply.service_ms();
    result.reply_bytes = static_cast<int64_t>(reply.ByteSizeLong());
    Result<Output> decoded = decode(reply, job);
    if (!decoded.ok()) {
      result.status = decoded.status();
      return result;
    }
    out = std::move(decoded).value();
    return result;
  }

  const NodeEndpoint endpoint_;
  const int handshake_deadline_ms_;
  const int health_deadline_ms_;
  std::unique_ptr<v1::LevelWorker::Stub> worker_;
  std::unique_ptr<grpc::health::v1::Health::Stub> health_;
};

}  // namespace

UnitRequest EncodeLevelUnit(const LevelJob& job, bool compact) {
  auto wire = std::make_shared<WireRequest>();
  EncodeLevelRequest(job, LevelOptionsJson(job.fragments, job.candidates), wire->level, compact);
  UnitRequest out;
  out.options_json = wire->level.options_json();
  out.options_hash = wire->level.options_hash();
  out.bytes = static_cast<int64_t>(wire->level.ByteSizeLong());
  out.wire = std::move(wire);
  return out;
}

UnitRequest EncodeTileUnit(const TileJob& job, const CandidateOptions& candidates, bool compact) {
  auto wire = std::make_shared<WireRequest>();
  // The tiles run with the plan's options, which carry the whole level's Canny threshold.
  EncodeTileRequest(job, LevelOptionsJson(job.options, candidates), wire->tile, compact);
  UnitRequest out;
  out.options_json = wire->tile.crop().options_json();
  out.options_hash = wire->tile.crop().options_hash();
  out.bytes = static_cast<int64_t>(wire->tile.ByteSizeLong());
  out.wire = std::move(wire);
  return out;
}

std::unique_ptr<NodeClient> MakeGrpcNodeClient(const NodeEndpoint& endpoint,
                                               const RemoteOptions& options) {
  return std::make_unique<GrpcNodeClient>(endpoint, options);
}

}  // namespace msrf::remote
