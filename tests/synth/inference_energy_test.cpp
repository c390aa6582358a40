// The whole-inference energy: the linear per-pin model checked against OpenSTA's direct report_power,
// and whole inferences through a mapped array netlist (synth/pin_energy.hpp, synth/inference_energy.hpp).
// The log reader, the confidence interval and the per-layer recomposition, which run no tool, are in
// pin_energy_parse_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "models/files.hpp"
#include "tests/support/cli_util.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"
#include "synth/array_lanes.hpp"
#include "synth/array_synth.hpp"
#include "synth/flow.hpp"
#include "synth/inference_energy.hpp"
#include "synth/inference_energy_layers.hpp"
#include "synth/pin_energy.hpp"
#include "models/dnn/network.hpp"
#include "tb/array_runner.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// A hand-made netlist whose NAND2 sees inputs of unequal activity (a at the port activity, b from an
// AND of two ports, a quarter of it in OpenSTA's propagation): the linear model averages the NAND's
// arcs, OpenSTA weights them by the inputs' activity.
const char* kNetlist = R"(module top(clk_i, a, b, c, y);
  input clk_i; input a; input b; input c; output y;
  wire n0, n1, q;
  AND2X1 u0 (.A(b), .B(c), .Y(n0));
  NAND2X1 u1 (.A(a), .B(n0), .Y(n1));
  DFFPOSX1 u2 (.D(n1), .CLK(clk_i), .Q(q));
  INVX1 u3 (.A(q), .Y(y));
endmodule
)";

nlohmann::json read_back(const fs::path& dir) {
  fs::create_symlink(kOsu018Lib, dir / "cells.lib");
  const RunResult r = run_program({"yosys", "-q", "-p", "read_liberty -lib cells.lib; read_verilog net.v; "
                                                         "hierarchy -top top; write_json net.json"},
                                  {.cwd = dir});
  fs::remove(dir / "cells.lib");
  EXPECT_TRUE(r.ok()) << r.output;
  return nlohmann::json::parse(read_file(dir / "net.json"));
}

TEST(PinEnergy, TheLinearModelMatchesOpenStaWhereItIsExactAndShowsWhereItIsNot) {
  if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  const fs::path dir = test::temp_dir("gm-pin-energy");
  write_file_atomic(dir / "net.v", kNetlist);
  const nlohmann::json net = read_back(dir);
  const Liberty lib = parse_liberty(read_file(kOsu018Lib));
  const auto clocks = clock_pins(net, "top", lib);
  EXPECT_EQ(clocks, (std::unordered_set<std::string>{"u2/CLK"}));
  const PinEnergyModel m = calibrate_pin_energy(dir, "top", kOsu018Lib, 10.0, clocks);
  // OpenSTA's own total at one transition per period on every pin = the pins' sum + the base, up to
  // the 3 significant digits of OpenSTA's debug lines (at most 0.5 % of a line).
  EXPECT_NEAR(m.sum_pin_pj() / 10.0 + m.base_mw(), m.report_total_mw, 5e-3 * m.report_total_mw);
  EXPECT_GT(m.pin_pj.at("u1/Y"), 0);
  EXPECT_GT(m.pin_pj.at("u2/D"), 0);  // the flop's data pin has its own internal power
  // Inputs at 0.5: OpenSTA propagates, reports directly; the model recomputes from the same activity.
  const PinEnergyCheck c = validate_pin_energy(dir, "top", kOsu018Lib, m, net, lib, 0.5);
  EXPECT_GT(c.pins_with_activity, 4u);
  EXPECT_GT(c.direct_mw, m.base_mw());
  // NAND, AND, DFF and INV have no conditional arcs: the model stays within 1 % (measured 0.07 %).
  EXPECT_LT(std::abs(c.relative_error()), 0.01) << c.model_mw << " vs " << c.direct_mw;
  std::cout << "pin-energy model " << c.model_mw << " mW, OpenSTA direct " << c.direct_mw << " mW\n";
}

}  // namespace
}  // namespace gm

namespace gm {
namespace {

// A one-layer network (fc 784 -> 10, seeded weights) so that a whole inference on a 1x1 array is a
// few thousand cycles.
dnn::Network tiny_fc_network() {
  dnn::Network net;
  net.name = "tiny-fc";
  net.source = "inference_energy_test";
  dnn::Layer l;
  l.kind = dnn::LayerKind::kFc;
  l.in_c = 1, l.in_h = 28, l.in_w = 28;
  l.out_c = 10, l.out_h = 1, l.out_w = 1;
  l.out_min = -32768, l.out_max = 32767;
  uint32_t s = 12345;
  auto next = [&] { return s = s * 1103515245u + 12345u; };
  for (int i = 0; i < 784 * 10; ++i) l.weights.push_back(static_cast<int8_t>(static_cast<int>(next() >> 16) % 255 - 127));
  for (int j = 0; j < 10; ++j) {
    l.bias.push_back(static_cast<int32_t>(next() >> 20) - 2048);
    l.requant.push_back(dnn::make_requant(1.0 / 256));
    l.w_scale.push_back(0.01);
  }
  l.in_scale = dnn::kInputScale;
  l.out_scale = l.in_scale * 0.01 * 256;
  net.layers.push_back(l);
  return net;
}

// A conv layer (1 -> 2 channels, 3x3, pad 1, ReLU) before the fc layer: on a 1x1 array its one
// weight stays for all 784 output positions, the weight-stationary reuse that zero gating needs.
dnn::Network tiny_conv_network() {
  dnn::Network net = tiny_fc_network();
  net.name = "tiny-conv";
  dnn::Layer c;
  c.kind = dnn::LayerKind::kConv;
  c.in_c = 1, c.in_h = 28, c.in_w = 28;
  c.out_c = 2, c.out_h = 28, c.out_w = 28;
  c.kernel = 3, c.pad = 1, c.relu = true;
  c.out_min = 0, c.out_max = 127;
  c.weights = {40, -20, 35, 90, -60, 10, 25, 70, -45, -30, 55, 15, -80, 100, 5, 60, -10, 20};  // K = 9 x N = 2
  for (int j = 0; j < 2; ++j) {
    c.bias.push_back(j == 0 ? -500 : 300);
    c.requant.push_back(dnn::make_requant(1.0 / 128));
    c.w_scale.push_back(0.01);
  }
  c.in_scale = dnn::kInputScale;
  c.out_scale = c.in_scale * 0.01 * 128;
  dnn::Layer& f = net.layers[0];
  f.in_c = 2;  // flattened 2 x 28 x 28
  f.weights.resize(1568 * 10);
  for (size_t i = 7840; i < f.weights.size(); ++i) f.weights[i] = f.weights[i - 7840];
  f.in_scale = c.out_scale;
  net.layers.insert(net.layers.begin(), c);
  return net;
}

// Whole inferences of `net` (its model file written into `dir`) on a 1x1 array with `spec` in the
// PE, zero-delay activity.
InferenceEnergyOptions one_by_one(const fs::path& dir, const dnn::Network& net, const std::string& spec,
                                  size_t images) {
  write_file_atomic(dir / "tiny.json", dnn::network_to_json(net));
  InferenceEnergyOptions opt;
  opt.rows = 1, opt.cols = 1;
  opt.mul = parse_spec(spec);
  opt.model = (dir / "tiny.json").string();
  opt.images = images;
  opt.activity_model = "zero";
  return opt;
}

TEST(InferenceEnergy, WholeInferencesOnAOneByOneArrayMatchTheGoldenLayerAndTheCycleModel) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-infer-energy");
  const dnn::Network net = tiny_fc_network();
  write_file_atomic(dir / "tiny.json", dnn::network_to_json(net));
  InferenceEnergyOptions opt;
  opt.rows = 1, opt.cols = 1;
  opt.mul = parse_spec("exact:s=1");
  opt.model = (dir / "tiny.json").string();
  opt.images = 3;
  opt.jobs = 2;
  opt.validate = true;
  const InferenceEnergyResult r = inference_energy(opt);
  // The linear model against OpenSTA's direct report on a whole array: known to be ~5 % low, from the
  // XOR/XNOR conditional arcs (docs/energy/infer.md); a larger gap is a regression.
  ASSERT_TRUE(r.validated);
  EXPECT_LT(std::abs(r.check.relative_error()), 0.08) << r.check.model_mw << " vs " << r.check.direct_mw;
  ASSERT_EQ(r.images_simulated, 3u);
  EXPECT_EQ(r.logit_mismatches, 0u);
  EXPECT_EQ(r.pins_without_energy, 0u);
  ASSERT_EQ(r.per_layer.size(), 1u);
  const auto& l = r.per_layer[0];
  EXPECT_EQ(l.macs, 784u * 10u);
  EXPECT_EQ(l.outputs, 30u);
  EXPECT_EQ(l.mismatches, 0u);
  // The cycle model of a 1x1 array for M=1, K=784, N=10, per image.
  const ArrayConfig cfg = make_array_config(1, 1, opt.mul, "", 32, false, 0, true);
  EXPECT_EQ(l.cycles_total, 3 * gemm_cycles(cfg, 1, 784, 10));
  EXPECT_DOUBLE_EQ(l.utilization, 7840.0 / static_cast<double>(gemm_cycles(cfg, 1, 784, 10)));
  // Energy: more than the base power over the cycles, the layer's mean is the inference's mean,
  // and different images give different energies (a real activity, not a constant).
  ASSERT_EQ(r.energy_per_image_nj.size(), 3u);
  const double base_nj = r.base_power_mw * r.clock_ns * r.cycles_per_inference * 1e-3;
  EXPECT_GT(r.energy_nj, base_nj);
  EXPECT_NEAR(l.energy_compute_nj, r.energy_nj, 1e-9 * r.energy_nj);
  EXPECT_NE(r.energy_per_image_nj[0], r.energy_per_image_nj[1]);
  EXPECT_GT(r.energy_ci_nj, 0);
  EXPECT_EQ(r.lanes, 2u);  // 3 images on 2 jobs: passes of 2 and 1 lanes
  EXPECT_EQ(r.passes, 2u);

  // The default activity: zero-delay lanes x glitch factors from a timed window of 2,000 cycles
  // (the image's one layer is 7,848 cycles long).
  EXPECT_EQ(r.window_cycles, 2000u);
  EXPECT_NE(r.activity_model.find("timed window of 2000 cycles"), std::string::npos) << r.activity_model;
  EXPECT_GT(r.glitch_share, 0.0);
  EXPECT_LT(r.glitch_share, 1.0);

  // Image lanes: all three images in one pass give each image exactly what it gets alone in its
  // own pass (one lane, one fresh simulation per image). Zero-delay activity, so that the glitch
  // factors' effect shows too: a timed net makes every settled transition and maybe more.
  opt.validate = false;
  opt.activity_model = "zero";
  opt.lanes = 3;
  const InferenceEnergyResult all = inference_energy(opt);
  opt.lanes = 1, opt.jobs = 1;
  const InferenceEnergyResult alone = inference_energy(opt);
  EXPECT_EQ(all.passes, 1u);
  EXPECT_EQ(alone.passes, 3u);
  EXPECT_EQ(all.activity_model, "zero-delay");
  EXPECT_EQ(all.glitch_share, 0.0);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(all.energy_per_image_nj[i], alone.energy_per_image_nj[i]) << "image " << i;
    EXPECT_GT(r.energy_per_image_nj[i], all.energy_per_image_nj[i]) << "image " << i;
  }
  EXPECT_DOUBLE_EQ(r.per_layer[0].transitions, all.per_layer[0].transitions);  // transitions: zero-delay counts
  EXPECT_DOUBLE_EQ(all.per_layer[0].transitions, alone.per_layer[0].transitions);
  EXPECT_EQ(all.logit_mismatches + alone.logit_mismatches, 0u);
}

// The whole inferences synthesize the array in mapping-only mode (no GEMM simulation, no power run)
// and take the slack from their calibration's OpenSTA run: the same netlist (net.v byte for byte),
// area and cells as the full flow, and the same worst slack, so their energies are those of the
// full flow's netlist.
TEST(InferenceEnergy, MappingOnlySynthesisIsTheFullFlowsNetlistAndSlack) {
  if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library missing";
  const fs::path dir = test::temp_dir("gm-map-only");
  const ArrayConfig cfg = make_array_config(1, 1, parse_spec("drum:k=4,s=1"), "", 32, false, 0, true);
  ArraySynthOptions full_opt;
  full_opt.activity_model = "zero";
  full_opt.keep_dir = dir / "full";
  ArraySynthOptions map_opt = full_opt;
  map_opt.power = false;
  map_opt.keep_dir = dir / "map";
  const ArraySynthResult full = synth_array(cfg, default_array_gemm(cfg, 1), full_opt);
  const ArraySynthResult map = synth_array(cfg, default_array_gemm(cfg, 1), map_opt);
  ASSERT_EQ(full.name, map.name);
  EXPECT_GT(full.simulated.total_mw, 0);  // the full flow ran its power ...
  EXPECT_EQ(map.simulated.total_mw, 0);   // ... mapping only did not
  EXPECT_EQ(map.cycles, 0u);
  EXPECT_DOUBLE_EQ(map.area_um2, full.area_um2);
  EXPECT_EQ(map.cells, full.cells);
  const fs::path map_dir = dir / "map" / map.name;
  EXPECT_EQ(read_file(map_dir / "net.v"), read_file(dir / "full" / full.name / "net.v"));
  EXPECT_FALSE(fs::exists(map_dir / "sta.log"));
  const Liberty lib = parse_liberty(read_file(kOsu018Lib));
  const nlohmann::json netlist = read_mapped_netlist(map_dir, map.name, kOsu018Lib, lib);
  const PinEnergyModel m =
      calibrate_pin_energy(map_dir, map.name, kOsu018Lib, full.clock_ns, clock_pins(netlist, map.name, lib));
  EXPECT_DOUBLE_EQ(m.slack_ns, full.slack_ns);
  EXPECT_GT(m.slack_ns, 0);  // a 1x1 array meets 10 ns
}

// A multiplier with constant 1s and 0s in its mapped module (trunc's compensation constant): the
// flow ties the 1s to an inverter and the 0s to a buffer, inputs open, and the read-back netlist
// gives each its constant (with two buffer ties it refused: net.v could not tell them apart).
TEST(InferenceEnergy, AMultiplierWithConstantOnesAndZerosRunsWholeInferences) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const InferenceEnergyResult r =
      inference_energy(one_by_one(test::temp_dir("gm-infer-energy-ties"), tiny_fc_network(), "trunc:t=6,comp=1,s=1", 2));
  EXPECT_EQ(r.logit_mismatches, 0u);
  ASSERT_EQ(r.per_layer.size(), 1u);
  EXPECT_EQ(r.per_layer[0].outputs, 20u);
  EXPECT_EQ(r.per_layer[0].mismatches, 0u);  // the netlist's layer outputs are the model's
  EXPECT_EQ(r.pins_without_energy, 0u);
}

// The voltage-scaling lever from the command line: an estimate kept apart from the measured
// energy (same measured figure with and without it), a supply below nominal where the 1x1 array
// has slack, the dynamic part scaled by (V/Vnom)^2 (recomputed here from the JSON's own measured
// figures), and a DVFS curve whose throughput halves as the clock period doubles.
TEST(InferenceEnergy, VoltageEstimateFromTheCliIsApartFromTheMeasuredEnergyAndLowersIt) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-infer-energy-voltage");
  write_file_atomic(dir / "tiny.json", dnn::network_to_json(tiny_fc_network()));
  const std::string base = "infer-energy --array 1x1 --mul exact:s=1 --images 2 --activity-model zero --json --model " +
                           (dir / "tiny.json").string();
  const test::CliResult plain = test::run_cli(base);
  const test::CliResult volt = test::run_cli(base + " --voltage --dvfs-clocks 10,20,40");
  ASSERT_EQ(plain.rc, 0) << plain.err;
  ASSERT_EQ(volt.rc, 0) << volt.err;
  const auto p = nlohmann::json::parse(plain.out), j = nlohmann::json::parse(volt.out);
  EXPECT_FALSE(p.contains("voltage_estimate"));
  EXPECT_DOUBLE_EQ(j["energy_nj"].get<double>(), p["energy_nj"].get<double>());  // measured, untouched
  const auto& v = j["voltage_estimate"];
  EXPECT_TRUE(v["estimate"].get<bool>());
  const double clock = j["clock_ns"], slack = j["slack_ns"], leak_mw = j["leakage_mw"];
  const double cycles = j["cycles_per_inference"], measured = j["energy_nj"];
  ASSERT_GT(slack, 0);
  EXPECT_NEAR(v["critical_ns"].get<double>(), clock - slack, 1e-9);
  const auto& a = v["at_clock"];
  const double supply = a["supply_v"];
  EXPECT_TRUE(a["meets_timing"].get<bool>());
  EXPECT_LT(supply, 1.8);
  const double dynamic = measured - leak_mw * cycles * clock * 1e-3;
  EXPECT_NEAR(a["dynamic_nj"].get<double>(), dynamic * (supply / 1.8) * (supply / 1.8), 1e-6 * measured);
  EXPECT_LT(a["energy_nj"].get<double>(), measured);  // the lever lowers energy
  const auto& curve = v["dvfs"];
  ASSERT_EQ(curve.size(), 3u);
  for (size_t i = 1; i < 3; ++i) {
    EXPECT_LE(curve[i]["supply_v"].get<double>(), curve[i - 1]["supply_v"].get<double>());
    EXPECT_NEAR(2 * curve[i]["inferences_per_s"].get<double>(), curve[i - 1]["inferences_per_s"].get<double>(),
                1e-6 * curve[i - 1]["inferences_per_s"].get<double>());
  }
  // Bad voltage parameters are refused before any synthesis: one line, exit 2.
  test::expect_one_line_error(test::run_cli(base + " --voltage --alpha 3"), "alpha");
  test::expect_one_line_error(test::run_cli(base + " --dvfs-clocks 10,0"), "dvfs-clocks");
}

// The gating lever, measured: zero-gated PEs (a zero activation enters its row as an empty slot and
// the activation registers hold) give the same checked outputs in the same cycles, and their energy
// is the gated netlist's own: different from the ungated one, and not lower by more than the
// multipliers could save. On this array the saving is not there (docs/array.md, "Zero gating":
// zero activations come in runs, which an ungated register does not switch on either), so the test
// pins the measurement down instead of claiming a direction.
TEST(InferenceEnergy, ZeroGatingKeepsTheOutputsAndIsMeasuredOnItsOwnNetlist) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  InferenceEnergyOptions opt = one_by_one(test::temp_dir("gm-infer-energy-gate"), tiny_conv_network(), "exact:s=1", 3);
  const InferenceEnergyResult plain = inference_energy(opt);
  opt.zero_gate = true;
  const InferenceEnergyResult gated = inference_energy(opt);
  EXPECT_TRUE(gated.zero_gate);
  EXPECT_FALSE(plain.zero_gate);
  EXPECT_EQ(plain.logit_mismatches + gated.logit_mismatches, 0u);
  ASSERT_EQ(gated.per_layer.size(), 2u);
  for (const auto& l : gated.per_layer) EXPECT_EQ(l.mismatches, 0u) << l.layer;
  EXPECT_GT(gated.per_layer[0].zero_activation_share, 0.3);
  EXPECT_EQ(gated.cycles_per_inference, plain.cycles_per_inference);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_NE(gated.per_layer[i].transitions, plain.per_layer[i].transitions) << "the gated netlist was simulated";
    EXPECT_NEAR(gated.per_layer[i].energy_compute_nj / plain.per_layer[i].energy_compute_nj, 1.0, 0.1);
  }
  std::cout << "zero gating, 1x1 array: conv " << plain.per_layer[0].energy_compute_nj << " -> "
            << gated.per_layer[0].energy_compute_nj << " nJ, fc " << plain.per_layer[1].energy_compute_nj << " -> "
            << gated.per_layer[1].energy_compute_nj << " nJ\n";
}

// Pruning's energy, measured (issue 12, lever 4): the same network with three quarters of its
// weights zeroed, by magnitude as `train --prune 0.75 --prune-mode weight` does, runs the same
// cycles and switches less: a zero weight makes every partial product of the multiplier 0, and the
// weight banks load zeros. No gating is involved; the netlist is the same.
TEST(InferenceEnergy, PrunedWeightsSpendLessOnTheSameCycles) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const dnn::Network dense = tiny_fc_network();
  dnn::Network sparse = dense;
  auto& w = sparse.layers[0].weights;
  std::vector<int> mags;
  for (const int8_t v : w) mags.push_back(std::abs(int{v}));
  std::nth_element(mags.begin(), mags.begin() + mags.size() * 3 / 4, mags.end());
  const int cut = mags[mags.size() * 3 / 4];
  for (int8_t& v : w)
    if (std::abs(int{v}) < cut) v = 0;
  ASSERT_GT(std::count(w.begin(), w.end(), 0), static_cast<long>(w.size() * 7 / 10));
  const InferenceEnergyResult d = inference_energy(one_by_one(test::temp_dir("gm-infer-dense"), dense, "exact:s=1", 3));
  const InferenceEnergyResult p = inference_energy(one_by_one(test::temp_dir("gm-infer-sparse"), sparse, "exact:s=1", 3));
  EXPECT_EQ(d.logit_mismatches + p.logit_mismatches, 0u);
  EXPECT_EQ(p.cycles_per_inference, d.cycles_per_inference);
  EXPECT_LT(p.energy_nj, 0.97 * d.energy_nj);
  std::cout << "75 % of the weights zero, 1x1 array: " << d.energy_nj << " -> " << p.energy_nj
            << " nJ per inference\n";
}

// Lower precision (lever 5) in hardware: the tiny CNN with its fc layer brought into 6 bits (conv1
// clamped to 0..31, fc1's weights divided by 4) runs fc1 on a 6-bit array for less energy than on
// the int8 array, with the same logits and cycles; a 6-bit first layer is refused (pixel input).
TEST(InferenceEnergyLayers, ASixBitLayerSpendsLessThanInt8OnTheSameModel) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  dnn::Network net = tiny_conv_network();
  net.layers[0].out_max = 31;
  for (int8_t& w : net.layers[1].weights) w = static_cast<int8_t>(w / 4);
  const fs::path dir = test::temp_dir("gm-infer-energy-narrow");
  const InferenceEnergyOptions opt = one_by_one(dir, net, "exact:s=1", 2);
  const InferenceEnergyResult int8 = inference_energy(opt);
  const InferenceEnergyResult six =
      inference_energy_per_layer(opt, dnn::layer_multipliers_from_options({"fc1=exact:s=1,w=6"}, ""));
  EXPECT_EQ(int8.logit_mismatches + six.logit_mismatches, 0u);
  EXPECT_EQ(six.cycles_per_inference, int8.cycles_per_inference);
  ASSERT_EQ(six.per_layer.size(), 2u);
  EXPECT_NEAR(six.per_layer[0].energy_compute_nj, int8.per_layer[0].energy_compute_nj, 1e-9 * int8.energy_nj);
  // On a 1x1 array the 32-bit accumulator, output stage and clock dominate: about 2.5 % less.
  EXPECT_LT(six.per_layer[1].energy_compute_nj, 0.99 * int8.per_layer[1].energy_compute_nj);
  EXPECT_LT(six.energy_nj, int8.energy_nj);
  std::cout << "fc1 on a 6-bit 1x1 array: " << int8.per_layer[1].energy_compute_nj << " -> "
            << six.per_layer[1].energy_compute_nj << " nJ per inference\n";
  test::expect_one_line_error(test::run_cli("infer-energy --array 1x1 --images 2 --model " + (dir / "tiny.json").string() +
                                            " --mul exact:s=1,w=6"),
                              "first layer keeps 8 bits");
}

// Per-layer energy on the two-layer network (conv1, fc1) on 1x1 arrays. Every layer on the same
// spec is the plain run (same netlist, same activations). A mix of exact (conv1) and trunc:t=6
// (fc1), from the command line: conv1, the first layer, sees the same images on the same exact
// netlist as in the all-exact run, so its energy is that run's; the cycles are each layer's on its
// own array, as in the plain runs; the total is the sum of the layers; the area is both arrays'; and the mix lies
// between all-trunc and all-exact (trunc's array switches less on both layers here).
TEST(InferenceEnergyLayers, SameSpecEverywhereIsThePlainRunAndAMixLiesBetween) {
  if (!test::synth_tools_present() || !test::fashion_mnist_present())
    GTEST_SKIP() << "yosys, sta, the osu018 library or Fashion-MNIST missing";
  const fs::path dir = test::temp_dir("gm-infer-energy-layers");
  const std::string cheap = "trunc:t=6,s=1";
  InferenceEnergyOptions opt = one_by_one(dir, tiny_conv_network(), "exact:s=1", 2);
  const InferenceEnergyResult exact = inference_energy(opt);
  opt.mul = parse_spec(cheap);
  const InferenceEnergyResult trunc = inference_energy(opt);
  const InferenceEnergyResult same =
      inference_energy_per_layer(opt, dnn::layer_multipliers_from_options({"conv1=" + cheap, "fc1=" + cheap}, ""));
  ASSERT_EQ(same.energy_per_image_nj.size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_NEAR(same.energy_per_image_nj[i], trunc.energy_per_image_nj[i], 1e-9 * trunc.energy_nj);
  EXPECT_NEAR(same.energy_nj, trunc.energy_nj, 1e-9 * trunc.energy_nj);
  EXPECT_EQ(same.spec, "conv1=" + parse_spec(cheap).canonical() + ";fc1=" + parse_spec(cheap).canonical());
  EXPECT_EQ(same.logit_mismatches, 0u);

  const test::CliResult cli = test::run_cli("infer-energy --array 1x1 --images 2 --activity-model zero --json --model " +
                                            (dir / "tiny.json").string() + " --mul-layer conv1=exact:s=1 --mul-layer fc1=" + cheap);
  ASSERT_EQ(cli.rc, 0) << cli.out << cli.err;
  const auto j = nlohmann::json::parse(cli.out);
  EXPECT_EQ(j["layers"], (nlohmann::json{{"conv1", parse_spec("exact:s=1").canonical()}, {"fc1", parse_spec(cheap).canonical()}}));
  EXPECT_EQ(j["logit_mismatches"], 0);
  ASSERT_EQ(j["per_layer"].size(), 2u);
  EXPECT_EQ(j["per_layer"][0]["spec"], parse_spec("exact:s=1").canonical());
  EXPECT_EQ(j["per_layer"][1]["spec"], parse_spec(cheap).canonical());
  for (const auto& l : j["per_layer"]) EXPECT_EQ(l["output_mismatches"], 0);
  const double conv = j["per_layer"][0]["energy_compute_nj"], fc = j["per_layer"][1]["energy_compute_nj"];
  const double total = j["energy_nj"];
  EXPECT_NEAR(conv, exact.per_layer[0].energy_compute_nj, 1e-9 * exact.energy_nj);
  EXPECT_NEAR(total, conv + fc, 1e-9 * total);
  EXPECT_DOUBLE_EQ(j["cycles_per_inference"].get<double>(), exact.per_layer[0].cycles + trunc.per_layer[1].cycles);
  EXPECT_NEAR(j["area_um2"].get<double>(), exact.area_um2 + trunc.area_um2, 1e-6);
  EXPECT_LT(trunc.energy_nj, total);
  EXPECT_LT(total, exact.energy_nj);
  std::cout << "1x1 arrays, 2 images: all exact " << exact.energy_nj << " nJ, conv1 exact + fc1 " << cheap << " "
            << total << " nJ, all " << cheap << " " << trunc.energy_nj << " nJ\n";
}

}  // namespace
}  // namespace gm
