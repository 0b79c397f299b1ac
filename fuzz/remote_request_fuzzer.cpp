// What an edge node receives: a level request or a tile request, as protobuf bytes. The first
// byte picks the message (even: level, odd: tile); the rest is parsed and decoded with a
// node's pixel limit.
#include <cstddef>
#include <cstdint>

#include "codec.h"

namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 20;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool tile = (data[0] & 1) != 0;
  const int bytes = static_cast<int>(size - 1);
  if (tile) {
    msrf::remote::v1::TileRequest request;
    if (!request.ParseFromArray(data + 1, bytes)) return 0;
    (void)msrf::remote::DecodeTileRequest(request, kMaxPixels);
  } else {
    msrf::remote::v1::LevelRequest request;
    if (!request.ParseFromArray(data + 1, bytes)) return 0;
    (void)msrf::remote::DecodeLevelRequest(request, kMaxPixels);
  }
  return 0;
}
