#include "msrf/field/append.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "field/test_fields.h"
#include "msrf/inference/brute_force.h"

namespace msrf {
namespace {

using testing::C;
using testing::S;

bool Near(double a, double b) { return std::fabs(a - b) <= 1e-4 * std::max(1.0, std::fabs(a)); }

// Every state vector of a multiscale field: each node in {covered, split, 0..L-1}.
bool NextStates(const MultiscaleField& field, std::vector<int>& states) {
  for (int f = field.num_nodes() - 1; f >= 0; --f) {
    if (++states[f] < field.num_labels(f)) return true;
    states[f] = C;
  }
  return false;
}

TEST(AppendOperator, PreservesScoreOfConsistentLabellings) {
  Rng rng(20240601);
  auto brute_force = CreateBruteForceSolver();
  ASSERT_TRUE(brute_force.ok());
  int64_t checked_consistent = 0;
  int64_t checked_inconsistent = 0;
  int instances_with_split_cuts = 0;
  for (int instance = 0; instance < 200; ++instance) {
    SCOPED_TRACE("instance " + std::to_string(instance));
    const MultiscaleField msrf = testing::MakeRandomMultiscaleField(rng);
    ASSERT_GT(msrf.num_nodes(), 0);
    auto appended = Append(msrf);
    ASSERT_TRUE(appended.ok()) << appended.status().ToString();
    ASSERT_FALSE(appended->summary.pruned);
    const RandomField& field = appended->field;

    // Walk every state vector: consistent ones map to an appended label with the same
    // score and decode back; inconsistent ones have no image.
    int64_t consistent = 0;
    double best = -std::numeric_limits<double>::infinity();
    std::vector<int> states(static_cast<size_t>(msrf.num_nodes()), C);
    do {
      const bool is_consistent = msrf.CheckConsistent(states).ok();
      const auto encoded = appended->Encode(states);
      if (!is_consistent) {
        ASSERT_FALSE(encoded.ok());
        EXPECT_EQ(encoded.status().code(), StatusCode::kInvalidArgument);
        ++checked_inconsistent;
        continue;
      }
      ++consistent;
      ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
      const double before = msrf.Score(states).value();
      const double after = field.Score(*encoded);
      ASSERT_TRUE(Near(before, after)) << before << " vs " << after;
      EXPECT_EQ(appended->Decode(*encoded).value(), states);
      best = std::max(best, before);
    } while (NextStates(msrf, states));
    checked_consistent += consistent;

    // The appended label spaces hold exactly the consistent labellings.
    int64_t product = 1;
    std::vector<int> counts;
    for (int t = 0; t < field.num_variables(); ++t) {
      product *= field.num_labels(t);
      counts.push_back(field.num_labels(t));
    }
    EXPECT_EQ(product, consistent);
    for (const auto& labels : appended->tree_labels) {
      if (std::any_of(labels.begin(), labels.end(),
                      [](const TreeLabelling& tl) { return tl.cut.size() > 1; })) {
        ++instances_with_split_cuts;
        break;
      }
    }

    // Every appended labelling decodes to a consistent one and encodes back to itself.
    std::vector<int> y(counts.size(), 0);
    do {
      const auto decoded = appended->Decode(y);
      ASSERT_TRUE(decoded.ok());
      ASSERT_TRUE(msrf.CheckConsistent(*decoded).ok());
      EXPECT_EQ(appended->Encode(*decoded).value(), y);
    } while (testing::NextLabelling(counts, y));

    // Brute-force MAP of both fields agrees.
    const auto map = (*brute_force)->Solve(field);
    ASSERT_TRUE(map.ok());
    EXPECT_TRUE(Near(map->summary.score, best)) << map->summary.score << " vs " << best;
    EXPECT_TRUE(Near(msrf.Score(appended->Decode(map->labelling).value()).value(), best));
  }
  EXPECT_GT(checked_consistent, 1000);
  EXPECT_GT(checked_inconsistent, 1000);
  // The random fields must exercise multi-level trees, not only flat ones.
  EXPECT_GT(instances_with_split_cuts, 50);
}

TEST(AppendOperator, ListsTheRootLabelsFirstWhenNothingIsPruned) {
  MultiscaleField msrf;
  msrf.AddNode(1, {1.0f, 2.0f, 3.0f});
  msrf.AddNode(0, {0.5f, 0.25f});
  msrf.AddNode(0, {0.125f});
  ASSERT_TRUE(msrf.SetParent(1, 0).ok());
  ASSERT_TRUE(msrf.SetParent(2, 0).ok());
  ASSERT_TRUE(msrf.AddEdge(1, 2, {10.0f, 20.0f}).ok());
  const auto appended = Append(msrf);
  ASSERT_TRUE(appended.ok());
  ASSERT_EQ(appended->field.num_variables(), 1);
  ASSERT_EQ(appended->field.num_labels(0), 3 + 2);
  for (int a = 0; a < 3; ++a) {
    EXPECT_EQ(appended->tree_labels[0][a].cut, (std::vector<int>{0}));
    EXPECT_EQ(appended->tree_labels[0][a].labels, (std::vector<int>{a}));
  }
  // Split labellings: unaries of the children plus their edge.
  EXPECT_FLOAT_EQ(appended->field.unary(0, 3), 0.5f + 0.125f + 10.0f);
  EXPECT_FLOAT_EQ(appended->field.unary(0, 4), 0.25f + 0.125f + 20.0f);
  EXPECT_EQ(appended->Decode({4}).value(), (std::vector<int>{S, 1, 0}));
  EXPECT_FALSE(appended->summary.pruned);
  EXPECT_EQ(appended->summary.total_labels, 5);
}

TEST(AppendOperator, KeepsTheBestLabelsAndReportsPruning) {
  MultiscaleField msrf;
  msrf.AddNode(0, {0.1f, 0.9f, 0.5f, 0.7f, 0.3f});
  msrf.AddNode(0, {1.0f});
  AppendOptions options;
  options.max_labels_per_tree = 3;
  const auto appended = Append(msrf, options);
  ASSERT_TRUE(appended.ok());
  EXPECT_TRUE(appended->summary.pruned);
  EXPECT_EQ(appended->summary.num_pruned_trees, 1);
  ASSERT_EQ(appended->field.num_labels(0), 3);
  // The three best (labels 1, 2, 3), kept in enumeration order.
  EXPECT_EQ(appended->tree_labels[0][0].labels, (std::vector<int>{1}));
  EXPECT_EQ(appended->tree_labels[0][1].labels, (std::vector<int>{2}));
  EXPECT_EQ(appended->tree_labels[0][2].labels, (std::vector<int>{3}));
  EXPECT_EQ(appended->Encode({0, 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(appended->Encode({3, 0}).value(), (std::vector<int>{2, 0}));
}

TEST(AppendOperator, RefusesInvalidFieldsAndOptions) {
  MultiscaleField cyclic;
  cyclic.AddNode(0, {0.f});
  cyclic.AddNode(1, {0.f});
  ASSERT_TRUE(cyclic.SetParent(0, 1).ok());
  ASSERT_TRUE(cyclic.SetParent(1, 0).ok());
  EXPECT_NE(Append(cyclic).status().message().find("cycle"), std::string::npos);

  MultiscaleField fine;
  fine.AddNode(0, {0.f});
  AppendOptions options;
  options.max_labels_per_tree = 0;
  EXPECT_NE(Append(fine, options).status().message().find("max_labels_per_tree"),
            std::string::npos);
}

TEST(AppendOperator, DecodeRefusesAnOutOfRangeLabel) {
  MultiscaleField msrf;
  msrf.AddNode(0, {0.f, 1.f});
  const auto appended = Append(msrf);
  ASSERT_TRUE(appended.ok());
  EXPECT_EQ(appended->Decode({2}).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace msrf
