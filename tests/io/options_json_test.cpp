#include "msrf/io/options_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace msrf {
namespace {

TEST(OptionsJson, RoundTripsEveryField) {
  MultiscaleOptions o;
  o.pyramid.scale_factor = 2.0;
  o.pyramid.num_levels = 3;
  o.edges.method = EdgeMethod::kEdgeDrawing;
  o.fragments.dce.max_relevance = 2.5;
  o.trees.min_coverage = 0.5;
  MultiscaleOptions back;
  ASSERT_TRUE(UpdateMultiscaleOptionsFromJson(MultiscaleOptionsToJson(o), "x.json", back).ok());
  EXPECT_EQ(MultiscaleOptionsToJson(back), MultiscaleOptionsToJson(o));
  EXPECT_EQ(back.edges.method, EdgeMethod::kEdgeDrawing);
  EXPECT_DOUBLE_EQ(back.fragments.dce.max_relevance, 2.5);
}

TEST(OptionsJson, AppliesAPartialConfig) {
  MultiscaleOptions o;
  ASSERT_TRUE(
      UpdateMultiscaleOptionsFromJson(R"({"pyramid": {"num_levels": 2}})", "c.json", o).ok());
  EXPECT_EQ(o.pyramid.num_levels, 2);
  EXPECT_DOUBLE_EQ(o.pyramid.scale_factor, MultiscaleOptions().pyramid.scale_factor);
}

TEST(OptionsJson, ErrorsNameTheFileAndTheKey) {
  struct Case {
    const char* text;
    const char* words;
  };
  for (const Case& c :
       {Case{"{", "c.json: not valid JSON"}, Case{"[]", "c.json: must hold a JSON object"},
        Case{R"({"pyramidd": {}})", "unknown section 'pyramidd'"},
        Case{R"({"pyramid": {"levels": 3}})", "unknown key 'pyramid.levels'"},
        Case{R"({"pyramid": {"num_levels": "3"}})", "pyramid.num_levels: must be an integer"},
        Case{R"({"pyramid": {"num_levels": 99}})", "pyramid.num_levels must be in"},
        Case{R"({"edges": {"method": "sobel"}})", "unknown edge method 'sobel'"}}) {
    MultiscaleOptions o;
    const Status s = UpdateMultiscaleOptionsFromJson(c.text, "c.json", o);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.message().find(c.words), std::string::npos) << s.message();
    EXPECT_EQ(MultiscaleOptionsToJson(o), MultiscaleOptionsToJson(MultiscaleOptions()))
        << "a failed update must leave the options untouched";
  }
}

TEST(DetectOptionsJson, RoundTripsEveryField) {
  // Every field away from its default: what is written reads back the same.
  DetectOptions o;
  o.fragments.pyramid.num_levels = 3;
  o.fragments.edges.method = EdgeMethod::kEdgeDrawing;
  o.fragments.fragments.dce.normalize = true;
  o.fragments.edges.forest_scales = {1.0, 1.5};
  o.candidates.arc_fractions = {0.1, 0.5};
  o.hypotheses.max_hypotheses = 7;
  o.potentials.max_labels = 3;
  o.verify.oriented = false;
  o.verify.max_stretch = 1.25;
  o.append.max_labels_per_tree = 64;
  o.relaxation.tolerance = 1e-7;
  o.mcmc.kernel = McmcKernel::kMetropolis;
  o.icm.max_iterations = 9;
  o.solver = SolverKind::kMcmc;
  o.mirror = true;
  o.seed = 18446744073709551615ULL;
  o.nms_iou = 0.3;
  const std::string json = DetectOptionsToJson(o);
  DetectOptions back;
  ASSERT_TRUE(UpdateDetectOptionsFromJson(json, "x.json", back).ok());
  EXPECT_EQ(DetectOptionsToJson(back), json);
  EXPECT_EQ(back.seed, o.seed);
  EXPECT_EQ(back.mcmc.kernel, McmcKernel::kMetropolis);
  EXPECT_EQ(back.candidates.arc_fractions, o.candidates.arc_fractions);
  EXPECT_EQ(back.fragments.edges.forest_scales, o.fragments.edges.forest_scales);
  EXPECT_FALSE(back.verify.oriented);
  EXPECT_TRUE(back.fragments.fragments.dce.normalize);
  EXPECT_NE(json, DetectOptionsToJson(DetectOptions()));
  // The multiscale sections are the same keys as MultiscaleOptions'.
  MultiscaleOptions m;
  ASSERT_TRUE(
      UpdateMultiscaleOptionsFromJson(MultiscaleOptionsToJson(o.fragments), "m.json", m).ok());
  EXPECT_EQ(MultiscaleOptionsToJson(m), MultiscaleOptionsToJson(o.fragments));
}

TEST(DetectOptionsJson, ErrorsNameTheSectionAndTheKey) {
  struct Case {
    const char* text;
    const char* words;
  };
  for (const Case& c : {
           Case{R"({"verify": {"oriented": 1}})", "c.json: verify.oriented: must be true or false"},
           Case{R"({"detect": {"seed": -1}})", "c.json: detect.seed: must be an integer in [0, "},
           Case{R"({"detect": {"solver": "sgd"}})", "c.json: detect.solver"},
           Case{R"({"mcmc": {"kernel": "hmc"}})", "c.json: mcmc.kernel: must be \"gibbs\""},
           Case{R"({"mcmc": {"seed": 3}})", "unknown key 'mcmc.seed'"},
           Case{R"({"candidates": {"arc_fractions": [0.1, "x"]}})",
                "candidates.arc_fractions: must hold finite numbers"},
           Case{R"({"candidates": 3})", "'candidates' must be an object"},
           Case{R"({"edges": {"forest_scales": [1, 8]}})",
                "c.json: edges.forest_scales must be in [0.25, 4], got 8"},
           Case{R"({"edges": {"forest_scales": []}})",
                "c.json: edges.forest_scales must hold 1 to 4 numbers, got 0"},
           Case{R"({"append": {"max_labels_per_tree": 0}})", "c.json: "},
       }) {
    DetectOptions o;
    const Status s = UpdateDetectOptionsFromJson(c.text, "c.json", o);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_NE(s.message().find(c.words), std::string::npos) << s.message();
    EXPECT_EQ(DetectOptionsToJson(o), DetectOptionsToJson(DetectOptions()))
        << "a failed update must leave the options untouched";
  }
}

TEST(DetectOptionsJson, EveryRefusedValueIsNamedAsItsKey) {
  // Each number at extremes far outside any range: either accepted, or refused with the
  // field named as in the JSON ("verify.max_stretch"), never by a struct name.
  const nlohmann::json defaults = nlohmann::json::parse(DetectOptionsToJson(DetectOptions()));
  int refused = 0;
  for (const auto& [section, fields] : defaults.items()) {
    for (const auto& [key, value] : fields.items()) {
      if (!value.is_number() || value.is_number_unsigned()) continue;
      const std::vector<nlohmann::json> extremes =
          value.is_number_integer() ? std::vector<nlohmann::json>{-2147483647, 2147483647}
                                    : std::vector<nlohmann::json>{-1e300, 1e300};
      for (const nlohmann::json& extreme : extremes) {
        nlohmann::json doc;
        doc[section][key] = extreme;
        DetectOptions o;
        const Status s = UpdateDetectOptionsFromJson(doc.dump(), "c.json", o);
        if (s.ok()) continue;
        ++refused;
        EXPECT_NE(s.message().find("c.json: " + section + "." + key), std::string::npos)
            << s.message();
        EXPECT_EQ(s.message().find("Options::"), std::string::npos) << s.message();
      }
    }
  }
  EXPECT_GT(refused, 50);
}

}  // namespace
}  // namespace msrf
