// Options of the verification stage: how a placed model is refined, bent and scored against
// the image's contours.
#pragma once

#include "msrf/core/status.h"

namespace msrf {

// Verification of a detection against the image: the placed model is refined onto the
// contours of the two finest levels, then scored by how much of it lies on contours of the
// same orientation.
//
// Each step of the verification was added, and its values chosen, on the ETHZ dev half;
// docs/grouping.md ("Verification against the image", "What was measured") records each step
// and the neighbouring values tried, none of which did better beyond the noise of its 128
// images. The notes below name the neighbours tried.
struct VerifyOptions {
  // Rounds of refinement (0: keep the similarity fitted to the grouped fragments), in [0, 20].
  // Not swept: the radius shrinks from search_radius to support_tolerance over the rounds,
  // and each round costs one pairing and one fit.
  int refine_rounds = 4;
  // A model point pairs with the nearest contour pixel of similar orientation within this
  // many object sizes (first round; the radius shrinks to support_tolerance by the last), in
  // (0, 1]. A step either way gives the same rates.
  double search_radius = 0.1;
  // Largest stretch of the model along its own x against its y (the placement is the
  // similarity times diag(k, 1/k), k in [1/max_stretch, max_stretch]), in [1, 4]. 1: a
  // similarity, which lost: ETHZ mugs are wider, bottles slimmer than their drawings. A step
  // either way gives the same rates.
  double max_stretch = 1.3;
  // A model point is supported when a contour of similar orientation lies within this many
  // object sizes, in (0, 1]. 0.03 to 0.05 are within the noise.
  double support_tolerance = 0.04;
  // A model point counts 1 + curvature_weight x the model's turning angle there (radians,
  // over three points either side) in the support and in its chance, in [0, 16] (0: all
  // points alike). Corners and bends lie on clutter by chance less often than straight
  // stretches, which any line in the image supports. 2 and 8 gained nothing.
  double curvature_weight = 4.0;
  // Count only contours of about the model's orientation (8 bins of 22.5 degrees; a point
  // matches its own bin and the two beside it). A clear gain over unoriented support: in
  // texture an unoriented contour lies near most placements.
  bool oriented = true;
  // After the placement, a limb of the model (a neck with its head: an arc that a chord of at
  // most a quarter of the model's size cuts off and that reaches at least 0.35 sizes beyond
  // it; bottles, mugs and apple logos have none) turns about its chord's middle by the angle
  // whose drawn points find the most contours of their orientation nearby: 2 x
  // limb_turn_steps + 1 angles (in [1, 32]) over +-max_limb_turn_deg (0: off, in [0, 90]).
  // A giraffe raises or lowers its neck further than the warp below can follow. 15 degrees
  // gives the same rates, 25 and 40 lower ones; 4 steps put the angles 5 degrees apart.
  double max_limb_turn_deg = 20.0;
  int limb_turn_steps = 4;
  // Then the outline is warped onto the contours by a free-form deformation
  // (WarpOutline): a lattice of warp_grid x warp_grid cells over the model's box (0: off, in
  // [0, 16]) whose points move in the image, each outline point by the bilinear blend of its
  // cell's corners. Four rounds; a point pairs with the nearest contour pixel of its
  // orientation within warp_radius object sizes (first round, in (0, 1]; the radius shrinks
  // to support_tolerance). The moves are fitted by weighted least squares, pulled towards zero
  // by warp_ridge (in (0, 10]) and towards their lattice neighbours by warp_smooth (in
  // [0, 100]), both relative to the pairs' weight per lattice point, and bounded by max_warp
  // object sizes (in [0, 1]). Points near each other in the plane move together (both sides
  // of a neck), so a part may swing or widen as a whole, which the bend below cannot do.
  // 2 x 2, 3 x 3 and 5 x 5 lattices, a first radius of 0.2 or 0.25 with moves up to 0.4, and
  // a ridge of 0.05 with a pull of 0.5 gained at one false-positive rate at most.
  int warp_grid = 4;
  double warp_radius = 0.15;
  double warp_ridge = 0.02;
  double warp_smooth = 0.3;
  double max_warp = 0.3;
  // Then the outline bends onto the contours (DeformOutline): rounds (0: off,
  // in [0, 20]); a point pairs with a contour pixel within deform_radius object sizes, in
  // (0, 1]; the displacements are smoothed along the contour by a Gaussian of deform_sigma
  // model points, in (0, 64], pulled towards zero by deform_prior (0: not at all, in
  // [0, 10]) where pairs are few, and bounded by max_deform object sizes, in [0, 1].
  // Objects of a class bend (a giraffe's neck, a mug's handle); a bounded, smooth bend lets
  // the support count them without letting the outline wander onto clutter. A bound of 0.15,
  // deform_sigma 12 and deform_prior 0.5 are within the noise; deform_rounds and
  // deform_radius were not swept.
  int deform_rounds = 3;
  double deform_radius = 0.06;
  double deform_sigma = 8.0;
  double deform_prior = 0.2;
  double max_deform = 0.1;
  // Where the model's drawing was cut off by its frame (ShapeModel::drawn), the box follows
  // the image contours on from the drawing's ends up to this many object sizes, in [0, 1]
  // (0: the box is the outline's). 0 and 1 give the same rates on ETHZ's one model with a
  // cut (the giraffe, above its hooves); a longer reach follows clutter as readily as the
  // object.
  double cut_extension = 0.3;
  // score = coverage x support x fit^fit_weight x (1 - surround)^surround_weight x the
  // stretch prior (stretch_sigma below). fit_weight in [0, 4]: the fit measures the grouped
  // fragments against one rigid placement, which a bent object misses by design; 0.5 keeps it from
  // outweighing the support. 0.3 and 0.7 gained nothing.
  double fit_weight = 0.5;
  // Figure and ground: an object's outline parts it from what lies around it, while an
  // outline laid over clutter, or over part of a larger object, has contours just outside it
  // too. `surround` is the fraction of the pixels in a band outside the outline, from
  // 2 x support_tolerance to surround_width object sizes away, that lie on or next to a
  // contour of any orientation. surround_width in (0, 1]; surround_weight in [0, 8] (0: off).
  // Weights 1 and 3 and other bands gained at one false-positive rate at most.
  double surround_width = 0.15;
  double surround_weight = 2.0;
  // The drawing's proportions are the likeliest: the score is multiplied by
  // exp(-(ln k / stretch_sigma)^2 / 2), k the placement's whole stretch (the stretched
  // model's, DetectOptions::stretches, times the refined pose's). A stretched model fits
  // clutter more easily than the drawn one, so a stretch must be paid for with support. In
  // [0, 4], 0: no prior. 0.4 (a stretch of 1.5, the aspect ratio x 2.25, costs a factor 0.6):
  // with stretches of 1.3 either way and the Berkeley maps, 0.15, 0.26 and 0.6 gained less on
  // the ETHZ dev half; with the drawn model alone the prior changes the rates little
  // (docs/grouping.md, "Stretched models").
  double stretch_sigma = 0.4;

  Status Validate() const;
};

}  // namespace msrf
