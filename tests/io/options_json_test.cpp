#include "msrf/io/options_json.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace msrf
