// The level job and tile job that the reply fuzzer checks answers against, and that the seed
// generator answers. Small, so that an input runs in well under a millisecond.
#pragma once

#include "msrf/fragments/tiles.h"
#include "msrf/grouping/level_work.h"

namespace msrf::fuzz {

// A 64x48 scene with one target and clutter, level 0, one model.
const LevelJob& FuzzLevelJob();

// Tile 0 of the same level cut into 2x1 tiles.
const TileJob& FuzzTileJob();

}  // namespace msrf::fuzz
