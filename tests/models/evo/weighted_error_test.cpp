// The search's error evaluator against models/metrics.cpp (a separate implementation of the same
// weighted definitions), and the bound syntax with its units worked out by hand.
#include <gtest/gtest.h>

#include <random>

#include "models/errors.hpp"
#include "models/evo/bit_sim.hpp"
#include "models/evo/library.hpp"
#include "models/evo/weighted_error.hpp"
#include "models/metrics.hpp"
#include "tests/support/array_netlist.hpp"

namespace {

using gm::evo::ErrorMetric;

// Random weights on random signed 4-bit pairs, some pairs repeated, some of weight 0.
gm::Distribution random_distribution(std::mt19937_64& rng) {
  std::vector<gm::Distribution::Entry> e;
  for (int k = 0; k < 120; ++k)
    e.push_back({.a = static_cast<int64_t>(rng() % 16) - 8, .b = static_cast<int64_t>(rng() % 16) - 8,
                 .p = static_cast<double>(rng() % 5), .line = k + 1});
  return gm::normalised_distribution(e, "test");
}

}  // namespace

TEST(EvoWeightedError, EqualsTheWeightedMetricsOfModelsMetrics) {
  std::mt19937_64 rng(7);
  gm::evo::BitSim sim;
  for (int trial = 0; trial < 8; ++trial) {
    gm::evo::GateNetlist n = gm::test::array_multiplier(4, true);
    // Approximate it: a few product bits tied to other nets.
    for (int k = 0; k < 1 + trial % 3; ++k)
      n.outputs[rng() % n.outputs.size()] = static_cast<uint32_t>(rng() % n.net_count());
    const gm::Distribution dist = random_distribution(rng);
    std::vector<int64_t> products;
    sim.products(n, products);
    const gm::evo::WeightedError e = gm::evo::ErrorEvaluator(dist, 4, true).evaluate(products);
    gm::MetricOptions mo;
    mo.dist = &dist;
    const gm::ErrorMetrics m = gm::compute_metrics(gm::evo::netlist_model(n), 4, true, mo);
    EXPECT_NEAR(e.er, m.er, 1e-12);
    EXPECT_NEAR(e.wmed, m.med, 1e-9);
    EXPECT_NEAR(e.wmred, m.mred, 1e-12);
    EXPECT_EQ(e.wce, static_cast<double>(m.wce));
    EXPECT_NEAR(e.bias, m.bias, 1e-9);
    EXPECT_NEAR(e.wmse, m.mse, 1e-6);
    EXPECT_GT(m.med, 0) << "trial " << trial << " left the multiplier exact: the comparison proves nothing";
  }
}

TEST(EvoWeightedError, BoundsInProductsOrPerCentOfTheFullScale) {
  // w = 8: the full scale is 2^16 = 65,536, so 0.1 % is 65.536 products (EvoApproxLib's MAE%).
  const auto b = gm::evo::parse_error_bound("wmed=0.1%,wce=300,er=5%,wmred=0.02,bias=2", 8);
  ASSERT_EQ(b.limits.size(), 5u);
  EXPECT_EQ(b.limits[0].metric, ErrorMetric::kWmed);
  EXPECT_DOUBLE_EQ(b.limits[0].value, 65.536);
  EXPECT_DOUBLE_EQ(b.limits[1].value, 300);
  EXPECT_DOUBLE_EQ(b.limits[2].value, 0.05);
  EXPECT_DOUBLE_EQ(b.limits[3].value, 0.02);
  EXPECT_DOUBLE_EQ(b.limits[4].value, 2);
  // wmse's per cent is of the full scale squared: 1 % of 256^2 squared at w = 4.
  EXPECT_DOUBLE_EQ(gm::evo::parse_error_bound("wmse=1%", 4).limits[0].value, 0.01 * 256 * 256);

  gm::evo::WeightedError inside;
  inside.wmed = 60, inside.wce = 300, inside.er = 0.01, inside.wmred = 0.01, inside.bias = -2;
  EXPECT_EQ(b.violation(inside), 0);  // |bias| = 2 is within bias=2
  gm::evo::WeightedError outside = inside;
  outside.wmed = 131.072;  // twice the limit
  outside.bias = -3;       // 1.5 times
  EXPECT_NEAR(b.violation(outside), 1.0 + 0.5, 1e-12);

  for (const char* bad : {"wmed", "foo=1", "wmed=-1", "wmed=1,wmed=2", "wmed=nan", "wmed=", "wmed=1e3", "wmed=1%%", ""})
    EXPECT_THROW(gm::evo::parse_error_bound(bad, 8), gm::UserError) << bad;
}
