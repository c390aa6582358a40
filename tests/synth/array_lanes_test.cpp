// Image lanes: SeqGateSim with one independent copy of the netlist per bit of its words, and the
// lane-parallel stream driver (synth/array_lanes.hpp). Every lane must give what the same stimulus
// gives alone on a fresh single-lane simulation: outputs, transitions per net, per-lane weighted
// totals; a lane whose data differ is caught by its own golden check, and lanes whose control would
// differ are refused.
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
#include "tests/support/counter_netlist.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// Three lanes with their own enable patterns over 70,000 cycles (more than a 16-bit counter
// holds): each lane's count, and its q0/q1 transitions weighted 1 and 10, against the counter
// computed here.
TEST(SeqGateSim, LanesAreIndependentCountersWithTheirOwnWeightedTotals) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  const nlohmann::json& netlist = test::counter_netlist();  // tests/support/counter_netlist.hpp
  SeqGateSim sim(netlist, "cnt", lib, "clk", 3);
  std::vector<double> a(sim.nets(), 0.0), b(sim.nets(), 0.0);
  a[4] = 1, b[4] = 1, b[5] = 10;  // a: q0 transitions; b: q0 + 10 x q1 transitions
  sim.set_lane_weights(a, b);
  const int en = sim.port("en"), q = sim.port("q");
  auto enable = [](int lane, int t) { return lane == 0 ? 1 : lane == 1 ? 0 : (t % 3 != 0); };
  int count[3] = {0, 0, 0}, last[3] = {0, 0, 0};
  uint64_t q0_toggles[3] = {0, 0, 0}, q1_toggles[3] = {0, 0, 0};
  const int cycles = 70000;
  for (int t = 0; t < cycles; ++t) {
    uint64_t word = 0;
    for (int j = 0; j < 3; ++j) word |= static_cast<uint64_t>(enable(j, t)) << j;
    sim.set_input_lanes(en, &word);
    sim.settle();
    for (int j = 0; j < 3; ++j) {
      const int got = static_cast<int>((sim.output_lanes(q, 0) >> j) & 1) |
                      static_cast<int>(((sim.output_lanes(q, 1) >> j) & 1) << 1);
      ASSERT_EQ(got, count[j]) << "lane " << j << " cycle " << t;
      if (t) q0_toggles[j] += (count[j] ^ last[j]) & 1, q1_toggles[j] += ((count[j] ^ last[j]) >> 1) & 1;
      last[j] = count[j];
    }
    sim.sample();
    sim.clock();
    for (int j = 0; j < 3; ++j) count[j] = (count[j] + enable(j, t)) & 3;
  }
  EXPECT_EQ(q0_toggles[0], static_cast<uint64_t>(cycles - 1));  // by hand: q0 toggles every period
  EXPECT_EQ(q1_toggles[0], static_cast<uint64_t>((cycles - 1) / 2));
  EXPECT_EQ(q0_toggles[1], 0u);
  const auto totals = sim.take_lane_totals();
  ASSERT_EQ(totals.size(), 3u);
  for (int j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(totals[j][0], static_cast<double>(q0_toggles[j])) << "lane " << j;
    EXPECT_DOUBLE_EQ(totals[j][1], static_cast<double>(q0_toggles[j] + 10 * q1_toggles[j])) << "lane " << j;
  }
  EXPECT_EQ(sim.net_toggles(4), q0_toggles[0] + q0_toggles[1] + q0_toggles[2]);
  // A second take starts from zero.
  const auto again = sim.take_lane_totals();
  EXPECT_EQ(again[0][0], 0.0);
  EXPECT_THROW(SeqGateSim(netlist, "cnt", lib, "clk", 65), std::runtime_error);
}

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

namespace gm {
namespace {

// The compiled evaluator (synth/gate_program.hpp) against the Liberty expression itself, on every
// function of every OSU018 cell (outputs, next_state, clear, preset) over all input combinations
// (bit i of the input words is combination i), with its variables at scattered slots.
TEST(SeqGateSim, CompiledCellFunctionsEqualTheLibertyExpressions) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  int functions = 0, fused = 0;
  auto check = [&](const LibExpr& e, const std::string& what) {
    if (e.empty()) return;
    const int k = static_cast<int>(e.vars().size());
    ASSERT_LE(k, 6) << what;
    std::vector<uint64_t> in(k);
    for (int v = 0; v < k; ++v)
      for (int i = 0; i < 64; ++i) in[v] |= static_cast<uint64_t>((i >> v) & 1) << i;
    const uint64_t expect = e.eval(in.data());
    std::vector<uint32_t> slots;
    for (int v = 0; v < k; ++v) slots.push_back(static_cast<uint32_t>(10 + 3 * v));
    std::vector<gate::Ins> prog;
    uint32_t temp = 40;
    gate::compile_function(e, slots, 7, prog, temp);
    std::vector<uint64_t> words(temp + 1, 0xDEADBEEF);
    words[0] = 0, words[1] = ~uint64_t{0};
    for (int v = 0; v < k; ++v) words[slots[v]] = in[v];
    gate::run_program(prog.data(), prog.data() + prog.size(), words.data());
    EXPECT_EQ(words[7], expect) << what;
    ++functions;
    fused += prog.size() == 1;
  };
  for (const auto& [name, cell] : lib.cells) {
    for (const LibPin& p : cell.pins)
      if (p.direction == "output") check(p.expr, name + "/" + p.name);
    if (cell.has_ff) {
      check(cell.ff.next_state, name + " next_state");
      check(cell.ff.clear, name + " clear");
      check(cell.ff.preset, name + " preset");
    }
  }
  EXPECT_GT(functions, 25);
  EXPECT_EQ(fused, functions);  // every OSU018 function is one fused instruction
  // Functions no shape fits are lowered operator by operator (and constants come from slots 0/1).
  for (const char* text : {"(A B C D) + E", "A ^ B ^ C ^ D", "!(A+B) ^ (C D) ^ E ^ F", "1", "0", "A + 1", "!A !B C"})
    check(LibExpr::parse(text), text);
  std::cout << functions << " functions, " << fused << " one instruction each\n";
}

// The compiled simulator against the interpreted one on the counter, cycle by cycle, in 2 lanes.
TEST(SeqGateSim, CompiledAndInterpretedSimulationsAgree) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  const nlohmann::json& netlist = test::counter_netlist();  // tests/support/counter_netlist.hpp
  SeqGateSim a(netlist, "cnt", lib, "clk", 2), b(netlist, "cnt", lib, "clk", 2);
  b.set_compiled(false);
  const int en = a.port("en"), q = a.port("q");
  for (int t = 0; t < 40; ++t) {
    const uint64_t word = static_cast<uint64_t>((t * 7 + t / 3) & 3);
    a.set_input_lanes(en, &word), b.set_input_lanes(en, &word);
    a.settle(), b.settle();
    ASSERT_EQ(a.output_lanes(q, 0), b.output_lanes(q, 0)) << t;
    ASSERT_EQ(a.output_lanes(q, 1), b.output_lanes(q, 1)) << t;
    a.sample(), b.sample(), a.clock(), b.clock();
  }
  EXPECT_EQ(a.activity().zero_delay_transitions, b.activity().zero_delay_transitions);
}

}  // namespace
}  // namespace gm
