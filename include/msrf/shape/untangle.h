// Making a resampled outline simple again. A contour resampled at a constant arc-length step
// can cross itself where two of its stretches pass closer than the step (legs close
// together, a handle near the body): the chords that replace them cross.
#pragma once

#include <opencv2/core.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "msrf/core/status.h"

namespace msrf {

// Makes the closed polygon `points` simple by 2-opt moves: while two non-adjacent edges
// (p_i, p_i+1) and (p_j, p_j+1) touch, they are replaced by (p_i, p_j) and (p_i+1, p_j+1),
// reversing the stretch between them. The points stay where they are; only the order that
// joins them changes, near the crossing. A move is made only when it shortens the perimeter
// (every proper crossing does), so the moves never cycle; after `max_moves` moves, or at a
// touch that no move shortens, it gives up with an error naming the edges. drawn[i], the flag
// of edge i, follows its edge; a new edge is drawn when both edges it replaces were. The
// result may run the other way round. Points must be finite and consecutive points distinct.
Status UntangleClosedPolygon(std::vector<cv::Point2d>& points, std::vector<uint8_t>& drawn,
                             size_t max_moves);

}  // namespace msrf
