// A limb of the model (a neck with its head) and how far it turns in the image.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"
#include "msrf/verify/verify_options.h"

namespace msrf {

// A limb of the model: the arc from point `first` forwards (cyclically) to point `last`
// that a short chord cuts off from the rest of the outline and that reaches far beyond it,
// such as a giraffe's or a swan's neck with its head. It may turn about the chord's middle.
struct Limb {
  int first = -1, last = -1;
  bool found() const { return first >= 0; }
};

// The arc of 1/8 to 1/2 of the model's points whose chord is at most a quarter of the model's
// size, whose farthest point lies at least 0.35 sizes from the chord's middle, and which
// reaches furthest beyond its chord; none when no arc qualifies (a bottle, a mug).
Limb FindLimb(const ShapeModel& model);

// The closed contour `points` with the limb turned by `angle` (radians, clockwise on screen)
// about its chord's middle; the turn fades in over the three points next to each end of the
// chord, so the contour stays closed.
std::vector<cv::Point2d> TurnLimb(const std::vector<cv::Point2d>& points, const Limb& limb,
                                  double angle);

// The angle, of 2 x limb_turn_steps + 1 evenly spaced over +-max_limb_turn_deg, by which the
// limb of the placed outline turns (TurnLimb) so that its drawn points pair best with
// contours of their orientation within twice the support tolerance (the sum of the pairs'
// Tukey weights). Another angle than 0 is taken only when it beats the drawing's pose by 5%
// of the limb's drawn points. Radians.
double BestLimbTurn(const ShapeModel& model, const Limb& limb,
                    const std::vector<cv::Point2d>& placed, const OrientedContours& contours,
                    double size, const VerifyOptions& o);

}  // namespace msrf
