// Image lanes: the lane-parallel stream driver (synth/array_lanes.hpp) on a synthesized array. Every
// lane must give what the same stimulus gives alone on a fresh single-lane simulation: outputs,
// transitions per net; a lane whose data differ is caught by its own golden check, and lanes whose
// control would differ are refused. SeqGateSim's lanes on a hand-made counter, which need no tool,
// are in seq_gate_sim_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "models/files.hpp"
#include "models/golden_gemm.hpp"
#include "synth/array_lanes.hpp"
#include "synth/array_synth.hpp"
#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "tb/array_runner.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

class ArrayLanes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::synth_tools_present()) GTEST_SKIP() << "yosys, sta or the osu018 library is missing";
  }
};

// A 2x2 array with the output stage, four GEMMs of one shape (several tiles: K and N larger than
// the array) in four lanes, twice in a row (two "layers"), against each GEMM alone on a fresh
// single-lane simulation through the single-lane driver.
TEST_F(ArrayLanes, LanesGiveTheOutputsAndTransitionsOfSingleRunsAndCatchACorruptLane) {
  const fs::path dir = test::temp_dir("gm-array-lanes");
  setenv("GREENMAC_CACHE", (dir / "cache").c_str(), 1);
  const ArrayConfig cfg = make_array_config(2, 2, parse_spec("drum:k=4,s=1"), "", 32, false, 0, true);
  ArraySynthOptions so;
  so.keep_dir = dir / "keep";
  so.activity_model = "zero";
  const ArraySynthResult syn = synth_array(cfg, default_array_gemm(cfg, 1), so);
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  const nlohmann::json netlist = read_mapped_netlist(so.keep_dir / syn.name, syn.name, kOsu018Lib, lib);

  constexpr int kLanes = 4;
  std::vector<GemmProblem> first, second;
  for (int j = 0; j < kLanes; ++j) {
    first.push_back(random_gemm(cfg, 3, 5, 3, 100 + j));
    second.push_back(random_gemm(cfg, 3, 5, 3, 200 + j));
  }
  auto golden = [&](const GemmProblem& p) {
    const std::vector<int64_t> y = golden_gemm(pe_tables(cfg), cfg.rows, cfg.cols, cfg.acc_width, p.x.data(),
                                               p.w.data(), p.m, p.k, p.n);
    return apply_output_stage(y, p.m, p.n, p.params);
  };

  // Alone: per GEMM pair, the outputs and every net's transitions (first and second layer apart).
  SeqGateSim probe(netlist, syn.name, lib, "clk_i");
  const int nets = probe.nets();
  std::vector<std::vector<int64_t>> y1(kLanes), y2(kLanes);
  std::vector<std::vector<uint64_t>> t1(kLanes, std::vector<uint64_t>(nets)), t2 = t1;
  uint64_t cycles1 = 0;
  for (int j = 0; j < kLanes; ++j) {
    SeqGateSim one(netlist, syn.name, lib, "clk_i");
    const ArrayDriveResult a = drive_array_gemm(one, cfg, first[j]);
    for (int n = 0; n < nets; ++n) t1[j][n] = one.net_toggles(n);
    const ArrayDriveResult b = drive_array_gemm(one, cfg, second[j]);
    for (int n = 0; n < nets; ++n) t2[j][n] = one.net_toggles(n) - t1[j][n];
    y1[j] = a.y, y2[j] = b.y, cycles1 = a.cycles;
    EXPECT_EQ(a.y, golden(first[j]));
    EXPECT_EQ(b.y, golden(second[j]));
  }

  // In lanes, weighted per net: a = 1 (transitions), b = a net-dependent weight.
  SeqGateSim sim(netlist, syn.name, lib, "clk_i", kLanes);
  std::vector<double> wa(nets, 1.0), wb(nets);
  for (int n = 0; n < nets; ++n) wb[n] = 0.25 * (n % 7);
  sim.set_lane_weights(wa, wb);
  std::vector<const GemmProblem*> p1, p2;
  for (int j = 0; j < kLanes; ++j) p1.push_back(&first[j]), p2.push_back(&second[j]);
  for (int layer = 0; layer < 2; ++layer) {
    const auto r = drive_array_gemm_lanes(sim, cfg, layer ? p2 : p1);
    const auto totals = sim.take_lane_totals();
    for (int j = 0; j < kLanes; ++j) {
      EXPECT_EQ(r[j].y, layer ? y2[j] : y1[j]) << "lane " << j;
      if (!layer) {
        EXPECT_EQ(r[j].cycles, cycles1);
      }
      double ea = 0, eb = 0;
      for (int n = 0; n < nets; ++n) {
        const uint64_t t = layer ? t2[j][n] : t1[j][n];
        ea += static_cast<double>(t) * wa[n], eb += static_cast<double>(t) * wb[n];
      }
      EXPECT_GT(ea, 0);
      EXPECT_DOUBLE_EQ(totals[j][0], ea) << "lane " << j << " layer " << layer;
      EXPECT_NEAR(totals[j][1], eb, 1e-9 * eb) << "lane " << j << " layer " << layer;
    }
  }
  // Per net, the lanes' transitions sum to the single runs' (the activity's total over lanes).
  for (int n = 0; n < nets; ++n) {
    uint64_t sum = 0;
    for (int j = 0; j < kLanes; ++j) sum += t1[j][n] + t2[j][n];
    ASSERT_EQ(sim.net_toggles(n), sum) << "net " << n;
  }

  // Mutant: lane 2's activations corrupted (one operand). Its outputs leave the golden GEMM of the
  // uncorrupted problem (what the inference checks), the other lanes are untouched.
  std::vector<GemmProblem> bad = first;
  bad[2].x[0] = bad[2].x[0] == 5 ? -7 : 5;
  std::vector<const GemmProblem*> pb;
  for (auto& p : bad) pb.push_back(&p);
  SeqGateSim sim2(netlist, syn.name, lib, "clk_i", kLanes);
  const auto r = drive_array_gemm_lanes(sim2, cfg, pb);
  EXPECT_NE(r[2].y, golden(first[2]));
  EXPECT_EQ(r[2].y, golden(bad[2]));
  EXPECT_EQ(r[1].y, golden(first[1]));

  // GEMMs of different shapes would drive different control: refused, not averaged.
  GemmProblem other = random_gemm(cfg, 4, 5, 3, 300);
  std::vector<const GemmProblem*> mixed = {&first[0], &first[1], &other, &first[3]};
  SeqGateSim sim3(netlist, syn.name, lib, "clk_i", kLanes);
  EXPECT_THROW(drive_array_gemm_lanes(sim3, cfg, mixed), std::runtime_error);
}

}  // namespace
}  // namespace gm
