// The voltage-scaling estimate (models/energy/supply_voltage.hpp) against cases worked by hand.
#include "models/energy/supply_voltage.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "models/errors.hpp"

namespace gm::energy {
namespace {

// alpha = 2, Vth = 0: delay ~ V / V^2 = 1 / V, so a path at half the clock allows half the supply.
TEST(SupplyVoltage, InverseDelayLawHalvesTheSupplyForHalfTheClock) {
  SupplyModel m;
  m.v_th = 0, m.alpha = 2, m.v_min = 0.5;
  EXPECT_NEAR(m.delay_factor(0.9), 2.0, 1e-12);
  const SupplyPoint p = lowest_supply(m, 5.0, 10.0);
  ASSERT_TRUE(p.meets_timing);
  EXPECT_FALSE(p.at_floor);
  EXPECT_GE(p.supply_v, 0.9);  // rounded up to the millivolt: never below the exact answer
  EXPECT_LE(p.supply_v, 0.901);
  EXPECT_LE(5.0 * p.delay_factor, 10.0);
  EXPECT_NEAR(p.dynamic_factor, 0.25, 0.002);
}

// alpha = 1, Vth = 0.45: V / (V - 0.45) <= 1.25 * 1.8 / 1.35 = 5/3 gives V >= 1.125 V.
TEST(SupplyVoltage, LinearLawWithThresholdByHand) {
  SupplyModel m;
  m.alpha = 1;
  const SupplyPoint p = lowest_supply(m, 8.0, 10.0);
  ASSERT_TRUE(p.meets_timing);
  EXPECT_GE(p.supply_v, 1.125);
  EXPECT_LE(p.supply_v, 1.126);
}

TEST(SupplyVoltage, NoSlackKeepsTheNominalSupplyAndNegativeSlackMissesTiming) {
  const SupplyModel m;
  const SupplyPoint tight = lowest_supply(m, 10.0, 10.0);
  EXPECT_TRUE(tight.meets_timing);
  EXPECT_NEAR(tight.supply_v, 1.8, 1e-3);
  const SupplyPoint late = lowest_supply(m, 11.0, 10.0);
  EXPECT_FALSE(late.meets_timing);
  EXPECT_DOUBLE_EQ(late.supply_v, 1.8);
  EXPECT_DOUBLE_EQ(late.dynamic_factor, 1.0);
  const SupplyPoint fast = lowest_supply(m, 0.5, 10.0);  // the floor stops it, not the timing
  EXPECT_TRUE(fast.at_floor);
  EXPECT_DOUBLE_EQ(fast.supply_v, m.v_min);
}

// Leakage: 1 at the nominal supply, V/Vnom * exp(eta (V - Vnom) / (n vT)) below it.
TEST(SupplyVoltage, LeakageRule) {
  const SupplyModel m;
  EXPECT_DOUBLE_EQ(m.leakage_factor(1.8), 1.0);
  EXPECT_NEAR(m.leakage_factor(1.2), (1.2 / 1.8) * std::exp(0.1 * -0.6 / (1.5 * 0.02585)), 1e-12);
  EXPECT_LT(m.leakage_factor(1.2), m.dynamic_factor(1.2));
}

// The estimate: dynamic energy x (V/Vnom)^2, leakage power x its factor x the (longer) inference time.
TEST(SupplyVoltage, EnergyAtTheLowestSupplyAndTheDvfsCurve) {
  SupplyModel m;
  m.v_th = 0, m.alpha = 2, m.v_min = 0.3;
  const InferenceEnergySplit measured{.dynamic_nj = 1000, .leakage_mw = 0.01, .cycles = 1e5};
  const VoltageEstimate at10 = estimate_at_clock(m, measured, 5.0, 10.0, 10.0);
  EXPECT_NEAR(at10.nominal_nj, 1000 + 0.01 * 1e5 * 10 * 1e-3, 1e-9);  // 1000 + 10 nJ
  const double v = at10.point.supply_v;
  EXPECT_NEAR(at10.dynamic_nj, 1000 * (v / 1.8) * (v / 1.8), 1e-9);
  EXPECT_NEAR(at10.leakage_nj, 10 * m.leakage_factor(v), 1e-9);
  EXPECT_LT(at10.ratio, 0.3);
  EXPECT_NEAR(at10.inferences_per_s, 1e9 / (1e5 * 10), 1e-6);

  const auto curve = dvfs_curve(m, measured, 5.0, 10.0, {4.0, 5.0, 10.0, 20.0});
  ASSERT_EQ(curve.size(), 4u);
  EXPECT_FALSE(curve[0].point.meets_timing);  // 5 ns of path at 1.8 V does not fit 4 ns
  for (size_t i = 2; i < curve.size(); ++i) {
    EXPECT_LT(curve[i].point.supply_v, curve[i - 1].point.supply_v);  // a slower clock, a lower supply
    EXPECT_NEAR(curve[i].inferences_per_s * curve[i].point.clock_ns,
                curve[i - 1].inferences_per_s * curve[i - 1].point.clock_ns, 1e-6);
  }
}

TEST(SupplyVoltage, ParametersOutOfRangeAreUserErrors) {
  SupplyModel m;
  m.alpha = 2.5;
  EXPECT_THROW(m.check(), UserError);
  m = SupplyModel{};
  m.v_th = 1.0;  // above the floor
  EXPECT_THROW(lowest_supply(m, 5, 10), UserError);
  m = SupplyModel{};
  m.v_min = 2.0;
  EXPECT_THROW(m.check(), UserError);
  EXPECT_NO_THROW(SupplyModel{}.check());
}

}  // namespace
}  // namespace gm::energy
