// The group a solved hypothesis field labels, and the model fitted to it.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <vector>

#include "msrf/core/similarity.h"
#include "msrf/fragments/fragment.h"
#include "msrf/grouping/hypothesis_field.h"
#include "msrf/shape/shape_model.h"

namespace msrf {

// The fragments labelled with a model arc, and what they say about the model's placement.
struct Group {
  std::vector<int> fragments;        // increasing
  std::vector<ModelArc> model_arcs;  // model_arcs[k] is what fragments[k] traces
  // Point pairs: `samples` points along each arc (model units) and along its fragment (image
  // pixels).
  std::vector<cv::Point2d> from, to;
  std::vector<uint8_t> covered;  // per model point, 1 when an arc of the group covers it
};

// Reads the group out of the solved field: `states` gives each node's state (label k >= 1 is
// hf.labels[f][k - 1]).
Group ReadGroup(const HypothesisField& hf, const std::vector<int>& states,
                const std::vector<Fragment>& fragments, const ShapeModel& model, int samples);

struct GroupFit {
  Similarity transform;   // model -> image
  double fit = 0.0;       // exp(-(rms / object size / fit_sigma)^2)
  double coverage = 0.0;  // fraction of the model's drawn points the group covers
};

// Fits the model to a non-empty group: from the arcs' correspondences, then a few rounds
// pairing every fragment point with the nearest point of the placed model (ICP), so that the
// fit measures distance to the contour, not slack along it.
GroupFit FitGroup(const ShapeModel& model, const Group& group, double model_size, double fit_sigma);

}  // namespace msrf
