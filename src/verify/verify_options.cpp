#include "msrf/verify/verify_options.h"

#include <string>

#include "msrf/core/check.h"

namespace msrf {

Status VerifyOptions::Validate() const {
  MSRF_RETURN_IF_ERROR(CheckRange("verify.refine_rounds", refine_rounds, 0, 20));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.search_radius", search_radius, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.max_stretch", max_stretch, 1.0, 4.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.support_tolerance", support_tolerance, 0.0, 1.0,
                                  Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.deform_rounds", deform_rounds, 0, 20));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.deform_radius", deform_radius, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.deform_sigma", deform_sigma, 0.0, 64.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.deform_prior", deform_prior, 0.0, 10.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.max_deform", max_deform, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.cut_extension", cut_extension, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.fit_weight", fit_weight, 0.0, 4.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.curvature_weight", curvature_weight, 0.0, 16.0));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.surround_width", surround_width, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.surround_weight", surround_weight, 0.0, 8.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.stretch_sigma", stretch_sigma, 0.0, 4.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.warp_grid", warp_grid, 0, 16));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.warp_radius", warp_radius, 0.0, 1.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(
      CheckRange("verify.warp_ridge", warp_ridge, 0.0, 10.0, Bound::kOpen, Bound::kClosed));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.warp_smooth", warp_smooth, 0.0, 100.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.max_warp", max_warp, 0.0, 1.0));
  MSRF_RETURN_IF_ERROR(CheckRange("verify.max_limb_turn_deg", max_limb_turn_deg, 0.0, 90.0));
  return CheckRange("verify.limb_turn_steps", limb_turn_steps, 1, 32);
}

}  // namespace msrf
