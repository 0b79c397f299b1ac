// DetectOptions::Validate() refuses NaN and infinite values of its own fields, naming them.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "msrf/grouping/detect.h"

namespace msrf {
namespace {

struct Field {
  const char* name;
  std::function<double&(DetectOptions&)> get;
};

TEST(DetectOptions, RefusesNanAndInfinityNamingTheField) {
  const std::vector<Field> fields = {
      {"log_scale_bin", [](DetectOptions& o) -> double& { return o.hypotheses.log_scale_bin; }},
      {"position_bin", [](DetectOptions& o) -> double& { return o.hypotheses.position_bin; }},
      {"peak_pool", [](DetectOptions& o) -> double& { return o.hypotheses.peak_pool; }},
      {"centre_tolerance",
       [](DetectOptions& o) -> double& { return o.hypotheses.centre_tolerance; }},
      {"scale_tolerance", [](DetectOptions& o) -> double& { return o.hypotheses.scale_tolerance; }},
      {"background_unary",
       [](DetectOptions& o) -> double& { return o.potentials.background_unary; }},
      {"centre_sigma", [](DetectOptions& o) -> double& { return o.potentials.centre_sigma; }},
      {"scale_sigma", [](DetectOptions& o) -> double& { return o.potentials.scale_sigma; }},
      {"search_radius", [](DetectOptions& o) -> double& { return o.verify.search_radius; }},
      {"deform_sigma", [](DetectOptions& o) -> double& { return o.verify.deform_sigma; }},
      {"warp_ridge", [](DetectOptions& o) -> double& { return o.verify.warp_ridge; }},
      {"nms_iou", [](DetectOptions& o) -> double& { return o.nms_iou; }},
      {"min_score", [](DetectOptions& o) -> double& { return o.min_score; }},
  };
  ASSERT_TRUE(DetectOptions().Validate().ok());
  for (const Field& field : fields) {
    for (double bad :
         {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
      DetectOptions options;
      field.get(options) = bad;
      const Status st = options.Validate();
      EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << field.name << " = " << bad;
      EXPECT_NE(st.message().find(field.name), std::string::npos) << st.message();
    }
  }
}

}  // namespace
}  // namespace msrf
