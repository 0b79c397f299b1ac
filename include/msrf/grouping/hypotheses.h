// Hypotheses: where the model may lie, from the candidates' votes on object centre and scale.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/status.h"
#include "msrf/grouping/candidates.h"

namespace msrf {

// Every default was kept after a sweep that moved each option one step either way on the
// ETHZ dev half: no step gained on both sides beyond the noise of its 128 images
// (docs/grouping.md, "How far the defaults can be trusted").
struct HypothesisOptions {
  // Vote bins: log-scale width, and spatial width as a fraction of the object size. Wider
  // log-scale bins (0.25) lost clearly; other widths gained on one side at most.
  double log_scale_bin = 0.2;
  double position_bin = 0.12;
  // Most hypotheses examined, in [1, 1000]. 25, 30 and 40 all lost; each hypothesis costs a
  // field, its inference and a verification.
  int max_hypotheses = 20;
  // The strongest peak_pool x max_hypotheses bins that no neighbour beats are refined onto
  // the votes that agree with them (see the tolerances below) and ranked by those votes'
  // weight; the best max_hypotheses distinct ones are examined. In [1, 10]. A pool of 3 gives
  // the same rates; 1.5 gains at 0.3 FPPI and loses at 0.4 (docs/grouping.md, "Hypotheses").
  double peak_pool = 2.0;
  // A candidate agrees with a hypothesis when its implied centre lies within
  // centre_tolerance x object size and its scale within a factor exp(scale_tolerance). Both
  // neighbours of each lost.
  double centre_tolerance = 0.2;
  double scale_tolerance = 0.3;

  Status Validate() const;
};

// Where the model may lie: a peak of the candidates' votes, refined onto the votes that agree
// with it.
struct Hypothesis {
  cv::Point2d centre;      // the model's centroid in the image
  double log_scale = 0.0;  // log of the model -> image scale
  // Summed weight, quality x sqrt(arc fraction), of the votes that agreed with the peak in
  // the last refinement step.
  double weight = 0.0;
};

// The hypotheses Detect examines, strongest first: each candidate votes for the centre and
// scale it implies, and the peaks of the vote become at most options.max_hypotheses
// distinct hypotheses. `model_size`: the model's larger side, model units. `options` must
// pass HypothesisOptions::Validate.
std::vector<Hypothesis> FindHypotheses(const std::vector<Candidate>& candidates, double model_size,
                                       const HypothesisOptions& options);

}  // namespace msrf
