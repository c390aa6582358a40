// OpenSTA's per-pin debug report read into energies per transition, the confidence interval of a
// whole-inference energy, and per-layer runs recomposed into one inference: no tool runs (the unit
// half of inference_energy_test.cpp, in its own file so the sanitizer build compiles only this).
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "synth/inference_energy.hpp"
#include "synth/inference_energy_layers.hpp"
#include "synth/pin_energy.hpp"

namespace gm {
namespace {

// What OpenSTA 2.0.17 prints for a NAND2 -> DFF -> INV netlist with every pin at one transition per
// 10 ns period (copied from a real run, shortened).
const char* kCalibLog = R"(GM_POWER calib
power: internal u1/A (NAND2X1)
power:  cap = 0.0000
power:        when act/ns duty  energy    power
power: switching NAND2X1/Y activity = 1.00e+08 volt = 1.80 1.430e-06
power: internal u1/Y (NAND2X1)
power:  cap = 0.0088
power:        when act/ns duty  energy    power
power:  A -> Y B  0.10 0.50  2.66e-14  2.66e-06 no pg_pin
power:  B -> Y A  0.10 0.50  2.11e-14  2.11e-06 no pg_pin
power: leakage cell NAND2X1 3.937e-11
power: internal u2/CLK (DFFPOSX1)
power:        when act/ns duty  energy    power
power:  CLK -> CLK       0.20 1.00  1.11e-13  2.21e-05 no pg_pin
power: internal u2/D (DFFPOSX1)
power:  D -> D       0.10 0.50  6.69e-14  6.69e-06 no pg_pin
power: switching DFFPOSX1/Q activity = 1.00e+08 volt = 1.80 1.511e-06
power: internal u2/Q (DFFPOSX1)
power:  CLK -> Q       0.10 1.00  9.37e-14  9.37e-06 no pg_pin
power: leakage cell DFFPOSX1 1.607e-10
       Internal      Switching        Leakage          Total
          Power          Power          Power          Power
Total                4.80e-05 3.0e-06 2.0e-10 5.1e-05 100.0%
)";

TEST(PinEnergyParse, PinsGetSwitchingPlusTheirArcsTimesThePeriod) {
  const PinEnergyModel m = parse_pin_energy_log(kCalibLog, 10.0, {"u2/CLK"});
  // By hand: W x 1e3 = mW; mW x 10 ns = pJ per transition (activity 1 per period).
  EXPECT_NEAR(m.pin_pj.at("u1/Y"), (1.430e-6 + 2.66e-6 + 2.11e-6) * 1e4, 1e-12);
  EXPECT_NEAR(m.pin_pj.at("u1/A"), 0.0, 1e-15);
  EXPECT_NEAR(m.pin_pj.at("u2/D"), 6.69e-6 * 1e4, 1e-12);
  EXPECT_NEAR(m.pin_pj.at("u2/Q"), (1.511e-6 + 9.37e-6) * 1e4, 1e-12);
  EXPECT_EQ(m.pin_pj.count("u2/CLK"), 0u);  // the clock pin is base power, not per transition
  EXPECT_NEAR(m.clock_pin_mw.at("u2/CLK"), 2.21e-2, 1e-12);
  EXPECT_NEAR(m.leakage_mw, (3.937e-11 + 1.607e-10) * 1e3, 1e-15);
  EXPECT_NEAR(m.base_mw(), 2.21e-2 + (3.937e-11 + 1.607e-10) * 1e3, 1e-12);
  EXPECT_NEAR(m.report_total_mw, 5.1e-2, 1e-12);
  // Half the activity per period: twice the energy per transition for the same printed power.
  EXPECT_NEAR(parse_pin_energy_log(kCalibLog, 10.0, {"u2/CLK"}, 0.5).pin_pj.at("u2/D"), 2 * 6.69e-6 * 1e4, 1e-12);
}

TEST(PinEnergyParse, HierarchicalStaNamesAreSpelledLikeTheFlattenedNetlist) {
  EXPECT_EQ(flat_pin_name("u_out.g_col\\[3\\].u_lane/_12_/Y"), "u_out.g_col[3].u_lane._12_/Y");
  EXPECT_EQ(flat_pin_name("_7_/A"), "_7_/A");
  EXPECT_EQ(flat_pin_name("a/b/c/D"), "a.b.c/D");
  const std::string log = std::string(kCalibLog).replace(std::string(kCalibLog).find("u1/A"), 4, "g\\[1\\]/u1/A");
  EXPECT_EQ(parse_pin_energy_log(log, 10.0, {"u2/CLK"}).pin_pj.count("g[1].u1/A"), 1u);
}

TEST(PinEnergyParse, MalformedLogsAreErrors) {
  EXPECT_THROW(parse_pin_energy_log("no marker", 10, {}), std::runtime_error);
  EXPECT_THROW(parse_pin_energy_log("GM_POWER calib\npower: switching X/Y activity = 1 volt = 1.8 1e-6\n"
                                    "Total 1e-6 1e-6 0 2e-6\n", 10, {}),
               std::runtime_error);  // a switching line without its pin
  EXPECT_THROW(parse_pin_energy_log("GM_POWER calib\npower: internal u1/Y (X)\n", 10, {}),
               std::runtime_error);  // no total
}

TEST(InferStats, StudentTAndConfidenceInterval) {
  EXPECT_NEAR(student_t95(1), 12.706, 1e-3);
  EXPECT_NEAR(student_t95(31), 2.0395, 2e-3);   // tables: 2.040
  EXPECT_NEAR(student_t95(120), 1.9799, 1e-3);  // tables: 1.980
  EXPECT_NEAR(student_t95(100000), 1.96, 1e-3);
  // {1, 2, 3}: mean 2, s = 1, t(2) = 4.303: 4.303 / sqrt(3).
  EXPECT_NEAR(ci95_half_width({1, 2, 3}), 4.303 / std::sqrt(3.0), 1e-9);
  EXPECT_EQ(ci95_half_width({5}), 0.0);
  EXPECT_EQ(ci95_half_width({4, 4, 4, 4}), 0.0);
}

// The recomposition of per-layer runs, on hand-made runs: per-image sums, their mean and paired CI,
// summed cycles and areas, the smaller slack, the layers in network order with their array's spec,
// the accuracy of the run that ran the last layer, and a refusal of runs on different images.
TEST(InferComposeLayers, PerImageSumsCyclesAreasAndTheLastLayersAccuracy) {
  InferenceEnergyResult a, b;
  a.spec = "A", b.spec = "B";
  a.array = b.array = "1x1";
  a.images_simulated = b.images_simulated = 3;
  a.energy_per_image_nj = {1, 2, 3};
  b.energy_per_image_nj = {10, 10, 13};
  a.cycles_per_inference = 100, b.cycles_per_inference = 300;
  a.base_power_mw = 2, b.base_power_mw = 4;
  a.slack_ns = 3, b.slack_ns = 1.5;
  a.area_um2 = 1000, b.area_um2 = 500;
  a.cell_count = 10, b.cell_count = 7;
  a.logit_mismatches = 0, b.logit_mismatches = 2;
  a.accuracy = 0.25, b.accuracy = 0.75;
  a.per_layer = {InferenceLayerEnergy{.layer = "l2", .index = 2}};
  b.per_layer = {InferenceLayerEnergy{.layer = "l0", .index = 0}};
  const InferenceEnergyResult r = compose_per_layer_runs({a, b});
  ASSERT_EQ(r.energy_per_image_nj, (std::vector<double>{11, 12, 16}));
  EXPECT_DOUBLE_EQ(r.energy_nj, 13.0);
  // {11, 12, 16}: s = sqrt(((-2)^2 + (-1)^2 + 3^2) / 2) = sqrt(7), t(2) = 4.303.
  EXPECT_NEAR(r.energy_ci_nj, 4.303 * std::sqrt(7.0) / std::sqrt(3.0), 1e-9);
  EXPECT_DOUBLE_EQ(r.cycles_per_inference, 400);
  EXPECT_DOUBLE_EQ(r.base_power_mw, (2 * 100 + 4 * 300) / 400.0);  // cycle-weighted
  EXPECT_DOUBLE_EQ(r.slack_ns, 1.5);
  EXPECT_DOUBLE_EQ(r.area_um2, 1500);
  EXPECT_EQ(r.cell_count, 17);
  EXPECT_EQ(r.logit_mismatches, 2u);
  ASSERT_EQ(r.per_layer.size(), 2u);
  EXPECT_EQ(r.per_layer[0].index, 0);
  EXPECT_EQ(r.per_layer[0].spec, "B");
  EXPECT_EQ(r.per_layer[1].spec, "A");
  EXPECT_DOUBLE_EQ(r.accuracy, 0.25);  // run A ran layer 2, the last one
  b.energy_per_image_nj.pop_back();
  b.images_simulated = 2;
  EXPECT_THROW(compose_per_layer_runs({a, b}), std::logic_error);
}

}  // namespace
}  // namespace gm
