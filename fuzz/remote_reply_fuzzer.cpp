// What a coordinator receives from a node: the answer to a level job or to a tile job, as
// protobuf bytes, checked against the job it answers (remote_jobs.h). The first byte picks
// the message (even: level, odd: tile).
#include <cstddef>
#include <cstdint>

#include "codec.h"
#include "remote_jobs.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Build the jobs before the first input, so that their cost is not charged to it.
  (void)msrf::fuzz::FuzzLevelJob();
  (void)msrf::fuzz::FuzzTileJob();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool tile = (data[0] & 1) != 0;
  const int bytes = static_cast<int>(size - 1);
  if (tile) {
    msrf::remote::v1::TileReply reply;
    if (!reply.ParseFromArray(data + 1, bytes)) return 0;
    (void)msrf::remote::DecodeTileReply(reply, msrf::fuzz::FuzzTileJob());
  } else {
    msrf::remote::v1::LevelReply reply;
    if (!reply.ParseFromArray(data + 1, bytes)) return 0;
    (void)msrf::remote::DecodeLevelReply(reply, msrf::fuzz::FuzzLevelJob());
  }
  return 0;
}
