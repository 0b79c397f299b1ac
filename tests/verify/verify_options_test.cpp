#include "msrf/verify/verify_options.h"

#include <gtest/gtest.h>

#include <string>

namespace msrf {
namespace {

TEST(VerifyOptions, ValidateNamesTheBadField) {
  VerifyOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.max_stretch = 0.5;
  EXPECT_NE(o.Validate().message().find("max_stretch"), std::string::npos);
  o = VerifyOptions();
  o.deform_sigma = 0.0;
  EXPECT_NE(o.Validate().message().find("deform_sigma"), std::string::npos);
  o = VerifyOptions();
  o.cut_extension = -1.0;
  EXPECT_NE(o.Validate().message().find("cut_extension"), std::string::npos);
  o = VerifyOptions();
  o.curvature_weight = -1.0;
  EXPECT_NE(o.Validate().message().find("curvature_weight"), std::string::npos);
  o = VerifyOptions();
  o.surround_width = 0.0;
  EXPECT_NE(o.Validate().message().find("surround_width"), std::string::npos);
  o = VerifyOptions();
  o.surround_weight = 9.0;
  EXPECT_NE(o.Validate().message().find("surround_weight"), std::string::npos);
  o = VerifyOptions();
  o.warp_grid = 17;
  EXPECT_NE(o.Validate().message().find("warp_grid"), std::string::npos);
  o = VerifyOptions();
  o.warp_ridge = 0.0;
  EXPECT_NE(o.Validate().message().find("warp_ridge"), std::string::npos);
  o = VerifyOptions();
  o.max_warp = 2.0;
  EXPECT_NE(o.Validate().message().find("max_warp"), std::string::npos);
  o = VerifyOptions();
  o.max_limb_turn_deg = -1.0;
  EXPECT_NE(o.Validate().message().find("max_limb_turn_deg"), std::string::npos);
  o = VerifyOptions();
  o.limb_turn_steps = 0;
  EXPECT_NE(o.Validate().message().find("limb_turn_steps"), std::string::npos);
  o = VerifyOptions();
  o.refine_rounds = 99;
  EXPECT_NE(o.Validate().message().find("refine_rounds"), std::string::npos);
}

}  // namespace
}  // namespace msrf
