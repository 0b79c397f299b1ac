#include "msrf/remote/nodes_config.h"

#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "msrf/io/file_io.h"
#include "msrf/io/json_read.h"
#include "msrf/remote/credentials.h"

namespace msrf::remote {
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

namespace {

using Json = JsonDocument;  // parsed by the checked reader; never throws

// Keys a node entry may set and the file may default for every node.
const std::set<std::string>& SharedKeys() {
  static const std::set<std::string> keys = {
      "ca", "cert", "key", "token_file", "insecure", "deadline_ms", "max_level_pixels"};
  return keys;
}

// The fleet-wide keys of `doc` into `options`; refuses keys nobody reads.
Status ParseFleetKeys(const Json& doc, const std::string& source, RemoteOptions& options) {
  for (const auto& [key, value] : doc.items()) {
    if (key == "coordinator_works" || key == "replan" || key == "compact") {
      if (!value.is_boolean())
        return InvalidArgumentError(source + ": " + key + " must be true or false");
      (key == "replan"    ? options.replan
       : key == "compact" ? options.compact
                          : options.coordinator_works) = value.get<bool>();
    } else if (key == "tile_pixels") {
      MSRF_ASSIGN_OR_RETURN(const int64_t pixels,
                            JsonInteger(value, source + ": tile_pixels", 0, int64_t{1} << 30));
      options.tile_pixels = static_cast<int>(pixels);
    } else if (key == "handshake_deadline_ms") {
      MSRF_ASSIGN_OR_RETURN(const int64_t ms,
                            JsonInteger(value, source + ": handshake_deadline_ms", 10, 600000));
      options.handshake_deadline_ms = static_cast<int>(ms);
    } else if (!SharedKeys().count(key) && key != "nodes") {
      return InvalidArgumentError(source + ": unknown key '" + key + "'");
    }
  }
  return Status::Ok();
}

// Reads the fields of one node entry, each the entry's own or else the file's default.
class NodeEntryReader {
 public:
  NodeEntryReader(const Json& doc, const Json& entry, std::string where,
                  std::filesystem::path folder, std::map<std::string, std::string>& files)
      : doc_(doc),
        entry_(entry),
        where_(std::move(where)),
        folder_(std::move(folder)),
        files_(files) {}

  Result<NodeEndpoint> Read() const {
    if (!entry_.is_object()) return InvalidArgumentError(where_ + " must be an object");
    for (const auto& [key, value] : entry_.items()) {
      if (!SharedKeys().count(key) && key != "address" && key != "server_name") {
        return InvalidArgumentError(where_ + ": unknown key '" + key + "'");
      }
    }
    NodeEndpoint node;
    MSRF_RETURN_IF_ERROR(String("address", node.address));
    if (node.address.empty()) return InvalidArgumentError(where_ + ": no \"address\"");
    MSRF_RETURN_IF_ERROR(String("server_name", node.server_name));
    if (const Json* v = Field("insecure")) {
      if (!v->is_boolean()) return InvalidArgumentError(where_ + ".insecure must be true or false");
      node.insecure = v->get<bool>();
    }
    // Range-checked before conversion: 4294968297 must not wrap around to 1001.
    if (const Json* v = Field("deadline_ms")) {
      MSRF_ASSIGN_OR_RETURN(const int64_t ms,
                            JsonInteger(*v, where_ + ".deadline_ms", 10, 3600000));
      node.deadline_ms = static_cast<int>(ms);
    }
    if (const Json* v = Field("max_level_pixels")) {
      MSRF_ASSIGN_OR_RETURN(
          node.max_level_pixels,
          JsonInteger(*v, where_ + ".max_level_pixels", 0, std::numeric_limits<int64_t>::max()));
    }
    if (!node.insecure) {
      MSRF_ASSIGN_OR_RETURN(node.ca_pem, Load("ca", false));
      MSRF_ASSIGN_OR_RETURN(node.cert_pem, Load("cert", false));
      MSRF_ASSIGN_OR_RETURN(node.key_pem, Load("key", false));
    }
    MSRF_ASSIGN_OR_RETURN(node.token, Load("token_file", true));
    return node;
  }

 private:
  const Json* Field(const std::string& key) const {
    if (entry_.contains(key)) return &entry_[key];
    if (doc_.contains(key)) return &doc_[key];
    return nullptr;
  }

  Status String(const std::string& key, std::string& out) const {
    const Json* v = Field(key);
    if (!v) return Status::Ok();
    if (!v->is_string() || v->get<std::string>().empty()) {
      return InvalidArgumentError(where_ + "." + key + " must be a non-empty string");
    }
    out = v->get<std::string>();
    return Status::Ok();
  }

  // The contents of the file named by `key` (a token or a PEM file), read once per file.
  Result<std::string> Load(const std::string& key, bool token) const {
    std::string file;
    MSRF_RETURN_IF_ERROR(String(key, file));
    if (file.empty()) return std::string();
    const std::string resolved = (folder_ / file).string();
    auto it = files_.find(resolved);
    if (it != files_.end()) return it->second;
    Result<std::string> contents = token ? ReadTokenFile(resolved) : ReadPemFile(resolved, key);
    if (!contents.ok()) return contents.status().WithContext(where_ + "." + key);
    files_[resolved] = *contents;
    return contents;
  }

  const Json& doc_;
  const Json& entry_;
  const std::string where_;
  const std::filesystem::path folder_;
  std::map<std::string, std::string>& files_;  // resolved path -> contents
};

}  // namespace

Result<RemoteOptions> ParseNodesConfig(std::string_view text, const std::string& source) {
  MSRF_ASSIGN_OR_RETURN(const Json doc, ParseJson(text, source));
  if (!doc.is_object()) return InvalidArgumentError(source + ": must hold a JSON object");
  RemoteOptions options;
  MSRF_RETURN_IF_ERROR(ParseFleetKeys(doc, source, options));
  const auto nodes = doc.find("nodes");
  if (nodes == doc.end() || !nodes->is_array() || nodes->empty() || nodes->size() > 256) {
    return InvalidArgumentError(source + ": \"nodes\" must be an array of 1 to 256 nodes");
  }
  const std::filesystem::path folder = std::filesystem::path(source).parent_path();
  std::map<std::string, std::string> files;
  for (size_t i = 0; i < nodes->size(); ++i) {
    const NodeEntryReader reader(doc, (*nodes)[i], source + ": nodes[" + std::to_string(i) + "]",
                                 folder, files);
    MSRF_ASSIGN_OR_RETURN(NodeEndpoint node, reader.Read());
    options.nodes.push_back(std::move(node));
  }
  const Status valid = options.Validate();
  if (!valid.ok()) return valid.WithContext(source);
  return options;
}

Result<RemoteOptions> ReadNodesConfig(const std::string& path) {
  MSRF_ASSIGN_OR_RETURN(const std::string text, ReadFileToString(path, kMaxJsonFileBytes));
  return ParseNodesConfig(text, path);
}

}  // namespace msrf::remote
