#include "msrf/verify/verify_options.h"

#include <string>

namespace msrf {

Status VerifyOptions::Validate() const {
  if (refine_rounds < 0 || refine_rounds > 20) {
    return InvalidArgumentError("verify.refine_rounds must be in [0, 20], got " +
                                std::to_string(refine_rounds));
  }
  if (!(search_radius > 0.0 && search_radius <= 1.0)) {
    return InvalidArgumentError("verify.search_radius must be in (0, 1]");
  }
  if (!(max_stretch >= 1.0 && max_stretch <= 4.0))
    return InvalidArgumentError("verify.max_stretch must be in [1, 4]");
  if (!(support_tolerance > 0.0 && support_tolerance <= 1.0)) {
    return InvalidArgumentError("verify.support_tolerance must be in (0, 1]");
  }
  if (deform_rounds < 0 || deform_rounds > 20) {
    return InvalidArgumentError("verify.deform_rounds must be in [0, 20], got " +
                                std::to_string(deform_rounds));
  }
  if (!(deform_radius > 0.0 && deform_radius <= 1.0))
    return InvalidArgumentError("verify.deform_radius must be in (0, 1]");
  if (!(deform_sigma > 0.0 && deform_sigma <= 64.0))
    return InvalidArgumentError("verify.deform_sigma must be in (0, 64]");
  if (!(deform_prior >= 0.0 && deform_prior <= 10.0))
    return InvalidArgumentError("verify.deform_prior must be in [0, 10]");
  if (!(max_deform >= 0.0 && max_deform <= 1.0))
    return InvalidArgumentError("verify.max_deform must be in [0, 1]");
  if (!(cut_extension >= 0.0 && cut_extension <= 1.0))
    return InvalidArgumentError("verify.cut_extension must be in [0, 1]");
  if (!(fit_weight >= 0.0 && fit_weight <= 4.0))
    return InvalidArgumentError("verify.fit_weight must be in [0, 4]");
  if (!(curvature_weight >= 0.0 && curvature_weight <= 16.0))
    return InvalidArgumentError("verify.curvature_weight must be in [0, 16]");
  if (!(surround_width > 0.0 && surround_width <= 1.0))
    return InvalidArgumentError("verify.surround_width must be in (0, 1]");
  if (!(surround_weight >= 0.0 && surround_weight <= 8.0))
    return InvalidArgumentError("verify.surround_weight must be in [0, 8]");
  if (warp_grid < 0 || warp_grid > 16) {
    return InvalidArgumentError("verify.warp_grid must be in [0, 16], got " +
                                std::to_string(warp_grid));
  }
  if (!(warp_radius > 0.0 && warp_radius <= 1.0))
    return InvalidArgumentError("verify.warp_radius must be in (0, 1]");
  if (!(warp_ridge > 0.0 && warp_ridge <= 10.0))
    return InvalidArgumentError("verify.warp_ridge must be in (0, 10]");
  if (!(warp_smooth >= 0.0 && warp_smooth <= 100.0))
    return InvalidArgumentError("verify.warp_smooth must be in [0, 100]");
  if (!(max_warp >= 0.0 && max_warp <= 1.0))
    return InvalidArgumentError("verify.max_warp must be in [0, 1]");
  if (!(max_limb_turn_deg >= 0.0 && max_limb_turn_deg <= 90.0)) {
    return InvalidArgumentError("verify.max_limb_turn_deg must be in [0, 90]");
  }
  if (limb_turn_steps < 1 || limb_turn_steps > 32) {
    return InvalidArgumentError("verify.limb_turn_steps must be in [1, 32], got " +
                                std::to_string(limb_turn_steps));
  }
  return Status::Ok();
}

}  // namespace msrf
