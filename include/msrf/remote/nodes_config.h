// The fleet a coordinator uses: each node's address and credentials, and the fleet-wide
// options, as read from a nodes file.
//
//   auto nodes = msrf::remote::ReadNodesConfig("nodes.json");  // Result<RemoteOptions>
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "msrf/core/status.h"

namespace msrf::remote {

struct NodeEndpoint {
  std::string address;  // HOST:PORT
  // The name the node's certificate must carry; empty: the host part of `address`.
  std::string server_name;
  // PEM text: the CA that signed the node's certificate, this client's certificate and key.
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  std::string token;  // bearer token
  // Plaintext, loopback only. Off: mutual TLS unless asked otherwise.
  bool insecure = false;
  // Largest level (pixels) this node is given: the limit of a small device. 0: no limit, as
  // only the nodes file knows which devices are small.
  int64_t max_level_pixels = 0;
  // Per level call, in [10, 3600000]. A level takes milliseconds to about a tenth of a second
  // on a 2-core machine (docs/fragments.md, docs/remote.md), so 10 s leaves room for devices
  // many times slower and for slow links; a frozen node holds its level up this long before
  // it is rerun elsewhere.
  int deadline_ms = 10000;
};

struct RemoteOptions {
  std::vector<NodeEndpoint> nodes;
  // The first call to a node (its handshake): a node that takes longer is reported down.
  // 3 s covers a TLS handshake over a slow link with room to spare.
  int handshake_deadline_ms = 3000;
  // A health check of a benched node: an empty call, so 1 s is ample on any working link.
  int health_deadline_ms = 1000;
  // Largest message sent or received, bytes; the node's default too (NodeOptions), so both
  // ends refuse the same. 64 MiB holds level 0 of about 13 megapixels with its float32 edge
  // strength (5 bytes per pixel), and any larger level in tiles (tile_pixels).
  int64_t max_message_bytes = int64_t{64} << 20;
  // The coordinator takes levels too when the plan says it is fastest. Off: it runs a level
  // only when no node can. On, since the plan counts the coordinator as one more worker and
  // puts work there only when that finishes sooner.
  bool coordinator_works = true;
  // Compact payloads: level images as PNG, edge strengths quantised to 16 bits, answers with
  // coordinates quantised to 1/16 pixel and candidates in single precision. Fewer bytes;
  // the detections may differ slightly from a local run's. Off, so that a run with nodes
  // gives a local run's output byte for byte.
  bool compact = false;
  // Tiled levels: a level with more pixels than this is split into overlapping tiles
  // (msrf/fragments/tiles.h, with TileOptions::max_core_pixels = tile_pixels) that are placed
  // like levels, so that several nodes work on it at once; the coordinator merges the tiles
  // and finds the level's candidates, which gives the untiled answer bit for bit. A node
  // whose max_level_pixels is below the level may take the tiles that fit. 0: off; else
  // >= 4096. Levels with EdgeDrawing edges are never tiled. Off by default: the tiles' merge
  // runs serially on the coordinator, and tiling bought no speed where it was measured
  // (docs/fragments.md, docs/remote.md); its use is a level larger than a node takes whole.
  int tile_pixels = 0;
  // Re-plan before each Run from the latest measurements. Off: the first plan is kept (for
  // comparison; failures still move work). On: re-planning is what moves work off a node
  // that slows down between images (docs/remote.md, "Placement and rebalancing").
  bool replan = true;
  // Told one line per event (a node benched, a level rerun, a node back); may be empty.
  std::function<void(const std::string&)> log;

  Status Validate() const;
};

// Reads a nodes file:
//   {"ca": "ca.pem", "cert": "client.pem", "key": "client.key", "token_file": "token",
//    "deadline_ms": 10000, "coordinator_works": true, "replan": true, "compact": false,
//    "tile_pixels": 0, "handshake_deadline_ms": 3000,
//    "nodes": [{"address": "10.0.0.7:7700"},
//              {"address": "10.0.0.8:7700", "max_level_pixels": 200000,
//               "server_name": "node8", "deadline_ms": 20000}]}
// Paths are relative to the file's folder; "tile_pixels" (RemoteOptions::tile_pixels),
// "handshake_deadline_ms" and the booleans are for the whole fleet; the credential keys,
// "insecure", "deadline_ms" and "max_level_pixels" at the top level are defaults a node entry may
// override
// ("insecure": true only for loopback addresses). Errors name the file and the field.
Result<RemoteOptions> ReadNodesConfig(const std::string& path);

// ReadNodesConfig on `text` already read from the file `source`: errors start with
// `source`, and the credential files are found beside it.
Result<RemoteOptions> ParseNodesConfig(std::string_view text, const std::string& source);

}  // namespace msrf::remote
