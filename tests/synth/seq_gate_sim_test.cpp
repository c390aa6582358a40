// The sequential gate simulator (synth/gate_sim.hpp) on hand-written netlists and the OSU018 Liberty
// file, no tool run: a counter with feedback, image lanes as independent counters, the compiled cell
// functions against the Liberty expressions, and compiled against interpreted simulation.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "models/files.hpp"
#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "tests/support/counter_netlist.hpp"
#include "tests/support/tools.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

// The sequential simulator on a hand-written netlist with feedback: a 2-bit counter with enable,
// q <= en ? q + 1 : q, built from DFFPOSX1, XOR2X1 and AND2X1 in Yosys JSON form.
TEST(SeqGateSim, CounterWithFeedback) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  // nets: 2 clk, 3 en, 4 q0, 5 q1, 6 d0 = q0 ^ en, 7 c = q0 & en, 8 d1 = q1 ^ c
  const nlohmann::json& netlist = test::counter_netlist();
  SeqGateSim sim(netlist, "cnt", lib, "clk");
  const int en = sim.port("en"), q = sim.port("q");
  const int enable[] = {1, 1, 0, 1, 1, 1, 0, 0, 1, 1};
  int expect = 0;
  for (int e : enable) {
    sim.set_input(en, static_cast<uint64_t>(e));
    sim.settle();
    const auto bits = sim.output(q);
    EXPECT_EQ(bits[0] | (bits[1] << 1), expect);
    sim.sample();
    sim.clock();
    expect = (expect + e) & 3;
  }
  const GateSimResult act = sim.activity();
  EXPECT_EQ(act.cycles, 10u);
  // q[0] over the 10 samples: 0 1 0 0 1 0 1 1 1 0 -> 6 toggles in 9 periods.
  int found = 0;
  for (const auto& p : act.pins)
    if (p.instance == "x0" && p.pin == "A") {
      ++found;
      EXPECT_NEAR(p.activity, 6.0 / 9, 1e-12);
    }
  EXPECT_EQ(found, 1);
  EXPECT_THROW(sim.port("nope"), std::runtime_error);
}

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
