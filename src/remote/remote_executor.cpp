#include "msrf/remote/remote_executor.h"

#include <grpcpp/grpcpp.h>
#include <nlohmann/json.hpp>

#include <chrono>
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

#include "codec.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "msrf/core/build_info.h"
#include "msrf/remote/credentials.h"
#include "msrf/remote/v1/level_worker.grpc.pb.h"

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

std::string HostOf(const std::string& address) {
  return address.substr(0, address.rfind(':'));
}

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
    if (n.max_jobs < 1 || n.max_jobs > 64) {
      return InvalidArgumentError(where + ".max_jobs must be in [1, 64]");
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
  return Status::Ok();
}

Result<RemoteOptions> ReadNodesConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  Json doc;
  try {
    doc = Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    return InvalidArgumentError(path + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!doc.is_object()) return InvalidArgumentError(path + ": must hold a JSON object");
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  const std::set<std::string> shared_keys = {"ca", "cert", "key", "token_file", "insecure",
                                             "deadline_ms", "max_jobs"};
  for (const auto& [key, value] : doc.items()) {
    if (!shared_keys.count(key) && key != "nodes") {
      return InvalidArgumentError(path + ": unknown key '" + key + "'");
    }
  }
  if (!doc.contains("nodes") || !doc["nodes"].is_array() || doc["nodes"].empty() ||
      doc["nodes"].size() > 256) {
    return InvalidArgumentError(path + ": \"nodes\" must be an array of 1 to 256 nodes");
  }
  std::map<std::string, std::string> files;  // resolved path -> contents
  RemoteOptions options;
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
      if (!v->is_number_integer()) return InvalidArgumentError(where + "." + key + " must be an integer");
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
    MSRF_RETURN_IF_ERROR(int_field("max_jobs", node.max_jobs));
    MSRF_RETURN_IF_ERROR(int_field("deadline_ms", node.deadline_ms));
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

struct RemoteLevelExecutor::Impl {
  struct Node {
    NodeEndpoint endpoint;
    std::unique_ptr<v1::LevelWorker::Stub> worker;
    std::unique_ptr<grpc::health::v1::Health::Stub> health;
    // Guarded by Impl::mutex.
    int inflight = 0;
    std::set<std::string> agreed;  // options hashes the node accepted at a handshake
    NodeStats stats;
  };

  RemoteOptions options;
  std::vector<std::unique_ptr<Node>> nodes;
  mutable std::mutex mutex;
  int local_levels = 0;

  void Log(const std::string& line) const {
    if (options.log) options.log(line);
  }

  void Authorize(grpc::ClientContext& context, const Node& node, int deadline_ms) const {
    context.set_deadline(SystemClock::now() + std::chrono::milliseconds(deadline_ms));
    context.AddMetadata("authorization", "Bearer " + node.endpoint.token);
  }

  // Brings a node up to date for a run with options `hash`: a benched node must pass its
  // health check, and every node must have accepted the options at a handshake.
  void Prepare(Node& node, const std::string& options_json, const std::string& hash) {
    bool benched, agreed;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (node.stats.disabled) return;
      benched = node.stats.benched;
      agreed = node.agreed.count(hash) > 0;
    }
    const std::string& address = node.endpoint.address;
    if (benched) {
      grpc::ClientContext context;
      context.set_deadline(SystemClock::now() + std::chrono::milliseconds(options.health_deadline_ms));
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
    grpc::ClientContext context;
    Authorize(context, node, options.handshake_deadline_ms);
    v1::HandshakeRequest request;
    request.set_build_id(BuildId());
    request.set_options_json(options_json);
    request.set_options_hash(hash);
    v1::HandshakeReply reply;
    const grpc::Status s = node.worker->Handshake(&context, request, &reply);
    std::lock_guard<std::mutex> lock(mutex);
    if (s.ok()) {
      node.agreed.insert(hash);
      return;
    }
    node.stats.last_error = Describe(s, options.handshake_deadline_ms);
    if (IsRefusal(s)) {
      node.stats.disabled = true;
      Log("node " + address + " refused the handshake (" + node.stats.last_error +
          "); not used again");
    } else {
      node.stats.benched = true;
      Log("node " + address + " failed the handshake (" + node.stats.last_error +
          "); benched until its health check passes");
    }
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
    impl->nodes.push_back(std::move(node));
  }
  impl->options = std::move(options);
  return std::unique_ptr<RemoteLevelExecutor>(new RemoteLevelExecutor(std::move(impl)));
}

Result<std::vector<LevelOutput>> RemoteLevelExecutor::Run(const std::vector<LevelJob>& jobs) {
  Impl& impl = *impl_;
  const size_t n = jobs.size();
  std::vector<LevelOutput> outputs(n);
  if (n == 0) return outputs;

  // One request per job, encoded once and reused by reruns.
  std::vector<v1::LevelRequest> requests(n);
  std::set<std::string> hashes;
  for (size_t j = 0; j < n; ++j) {
    EncodeLevelRequest(jobs[j], LevelOptionsJson(jobs[j].fragments, jobs[j].candidates), requests[j]);
    hashes.insert(requests[j].options_hash());
  }
  {
    std::vector<std::thread> prepare;
    for (auto& node : impl.nodes) {
      prepare.emplace_back([&impl, &node, &requests, &hashes] {
        for (const std::string& hash : hashes) {
          for (const v1::LevelRequest& r : requests) {
            if (r.options_hash() == hash) {
              impl.Prepare(*node, r.options_json(), hash);
              break;
            }
          }
        }
      });
    }
    for (std::thread& t : prepare) t.join();
  }

  std::mutex& mutex = impl.mutex;
  std::condition_variable changed;
  std::deque<size_t> pending;
  for (size_t j = 0; j < n; ++j) pending.push_back(j);
  std::vector<std::set<size_t>> tried(n);
  std::vector<bool> done(n, false);
  std::optional<Status> local_error;
  size_t finished = 0;
  std::vector<std::thread> threads;

  auto usable = [&](size_t k, size_t j) {
    const Impl::Node& node = *impl.nodes[k];
    return !node.stats.disabled && !node.stats.benched && !tried[j].count(k) &&
           node.agreed.count(requests[j].options_hash());
  };

  std::unique_lock<std::mutex> lock(mutex);
  while (finished < n && !local_error) {
    for (auto it = pending.begin(); it != pending.end();) {
      const size_t j = *it;
      std::optional<size_t> best;
      bool may_wait = false;
      for (size_t k = 0; k < impl.nodes.size(); ++k) {
        if (!usable(k, j)) continue;
        const Impl::Node& node = *impl.nodes[k];
        if (node.inflight >= node.endpoint.max_jobs) {
          may_wait = true;
          continue;
        }
        if (!best || node.inflight < impl.nodes[*best]->inflight) best = k;
      }
      const bool rerun = !tried[j].empty();
      if (best) {
        Impl::Node& node = *impl.nodes[*best];
        ++node.inflight;
        tried[j].insert(*best);
        if (rerun) impl.Log("level " + std::to_string(jobs[j].level.index) + " rerun on " + node.endpoint.address);
        threads.emplace_back([&, j, &node = node] {
          grpc::ClientContext context;
          impl.Authorize(context, node, node.endpoint.deadline_ms);
          v1::LevelReply reply;
          const grpc::Status s = node.worker->RunLevel(&context, requests[j], &reply);
          std::optional<Result<LevelOutput>> output;
          if (s.ok()) output.emplace(DecodeLevelReply(reply, jobs[j]));
          std::lock_guard<std::mutex> guard(mutex);
          --node.inflight;
          if (output && output->ok()) {
            outputs[j] = std::move(output->value());
            done[j] = true;
            ++finished;
            ++node.stats.levels_done;
          } else {
            node.stats.last_error = output ? output->status().message() : Describe(s, node.endpoint.deadline_ms);
            ++node.stats.levels_failed;
            const bool refusal = !output && IsRefusal(s);
            if (refusal) {
              node.stats.disabled = true;
            } else {
              node.stats.benched = true;
            }
            impl.Log("node " + node.endpoint.address + ": level " + std::to_string(jobs[j].level.index) +
                     ": " + node.stats.last_error +
                     (refusal ? "; not used again" : "; benched until its health check passes"));
            pending.push_back(j);
          }
          changed.notify_all();
        });
        it = pending.erase(it);
      } else if (!may_wait) {
        // No node is left for this level: it runs here.
        ++impl.local_levels;
        impl.Log("level " + std::to_string(jobs[j].level.index) +
                 (rerun ? " rerun locally: no node left to take it" : " runs locally: no node is usable"));
        threads.emplace_back([&, j] {
          Result<LevelOutput> output = RunLevelJob(jobs[j]);
          std::lock_guard<std::mutex> guard(mutex);
          if (output.ok()) {
            outputs[j] = std::move(output).value();
            done[j] = true;
            ++finished;
          } else {
            local_error = output.status();
          }
          changed.notify_all();
        });
        it = pending.erase(it);
      } else {
        ++it;
      }
    }
    if (finished < n && !local_error) changed.wait(lock);
  }
  lock.unlock();
  for (std::thread& t : threads) t.join();
  if (local_error) return *local_error;
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

}  // namespace msrf::remote
