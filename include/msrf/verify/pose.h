// The pose of a model in an image (a similarity after a stretch along the model's axes),
// fitted to point pairs and refined onto the image's contours.
#pragma once

#include <opencv2/core.hpp>

#include <vector>

#include "msrf/core/similarity.h"
#include "msrf/shape/shape_model.h"
#include "msrf/verify/oriented_contours.h"
#include "msrf/verify/verify_options.h"

namespace msrf {

// The model placed by a similarity after stretching it by diag(k, 1/k).
struct ModelPose {
  Similarity similarity;
  double stretch = 1.0;
  cv::Point2d Apply(cv::Point2d p) const {
    return similarity.Apply({stretch * p.x, p.y / stretch});
  }
};

// The model's points placed by `pose`.
std::vector<cv::Point2d> PlaceModel(const ShapeModel& model, const ModelPose& pose);

// Weighted least-squares pose taking model points m onto image points p: the rotation
// from Procrustes of the stretched points, then per model axis a scale and offset, the
// stretch clamped to [1 / max_stretch, max_stretch] and the rotation to max_angle.
ModelPose FitPose(const std::vector<cv::Point2d>& m, const std::vector<cv::Point2d>& p,
                  const std::vector<double>& w, const ModelPose& start, double max_stretch,
                  double max_angle);

// Refines a pose onto the oriented contours: each drawn model point pairs with the
// nearest contour pixel of its orientation within a radius that shrinks round by round.
ModelPose RefinePose(const ShapeModel& model, const ModelPose& start,
                     const OrientedContours& contours, double model_size, double max_angle,
                     const VerifyOptions& o);

}  // namespace msrf
