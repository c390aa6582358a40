// The timed gate simulation (synth/timed_sim.hpp) and its SDF reader (synth/sdf.hpp) on netlists
// small enough that every transition is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <filesystem>

#include "models/files.hpp"
#include "synth/gate_sim.hpp"
#include "synth/liberty.hpp"
#include "synth/mult_synth.hpp"
#include "synth/sdf.hpp"
#include "synth/timed_sim.hpp"
#include "tests/support/counter_netlist.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

const Liberty& osu018() {
  static const Liberty lib = parse_liberty(read_file(kOsu018Lib), kOsu018Lib);
  return lib;
}

// y = XOR(a, BUF(BUF(a))): nets 2 clk (unused), 3 a, 4 b1, 5 b2, 6 y.
const nlohmann::json& chain_netlist() {
  static const auto j = nlohmann::json::parse(R"({"modules": {"chain": {
    "ports": {"clk": {"direction": "input", "bits": [2]}, "a": {"direction": "input", "bits": [3]},
              "y": {"direction": "output", "bits": [6]}},
    "cells": {
      "u1": {"type": "BUFX2", "connections": {"A": [3], "Y": [4]}},
      "u2": {"type": "BUFX2", "connections": {"A": [4], "Y": [5]}},
      "ux": {"type": "XOR2X1", "connections": {"A": [3], "B": [5], "Y": [6]}}},
    "netnames": {"a": {"bits": [3]}, "b1": {"bits": [4]}, "b2": {"bits": [5]}, "y": {"bits": [6]}}}}})");
  return j;
}

// The chain's SDF: buffers rise 100 ps, fall 70 ps; the XOR's two arcs rise `xr`, fall `xf` (in ns
// with TIMESCALE 1ns, as OpenSTA writes it).
std::string chain_sdf(const std::string& xr, const std::string& xf) {
  return R"((DELAYFILE (SDFVERSION "3.0") (DESIGN "chain") (TIMESCALE 1ns)
  (CELL (CELLTYPE "BUFX2") (INSTANCE u1) (DELAY (ABSOLUTE (IOPATH A Y (0.100::0.100) (0.070::0.070)))))
  (CELL (CELLTYPE "BUFX2") (INSTANCE u2) (DELAY (ABSOLUTE (IOPATH A Y (0.100::0.100) (0.070::0.070)))))
  (CELL (CELLTYPE "XOR2X1") (INSTANCE ux) (DELAY (ABSOLUTE
     (IOPATH A Y ()" + xr + ")(" + xf + R"())
     (IOPATH B Y ()" + xr + ")(" + xf + R"()))))))";
}

// Drives a = 0,1,0,1,... for `cycles` sampled cycles.
GateSimResult run_chain(TimedGateSim& sim, int cycles) {
  const int a = sim.port("a"), y = sim.port("y");
  for (int t = 0; t < cycles; ++t) {
    sim.set_input(a, static_cast<uint64_t>(t & 1));
    sim.settle();
    EXPECT_FALSE(sim.output_bit(y)) << "y = a ^ a settles to 0, cycle " << t;
    sim.sample();
    sim.clock();
  }
  return sim.activity();
}

// Hand-worked: a rises at 0. The XOR sees A change first: y rises at 0 + 50 (XOR rise). b1 rises at
// 100, b2 at 200; the XOR sees B change: y falls at 200 + 40 (XOR fall) = 240. When a falls: y rises
// at 50, b1 falls at 70, b2 at 140, y falls at 140 + 40 = 180. So per cycle: a, b1, b2 one transition
// each, y two (a glitch: its settled value stays 0); zero-delay: 3, timed: 5.
TEST(TimedGateSim, HandWorkedChainGlitchesOncePerInputTransition) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  TimedGateSim sim(chain_netlist(), "chain", osu018(), "clk", parse_sdf(chain_sdf("0.050::0.050", "0.040::0.040")));
  const int cycles = 11;  // 10 periods, each with one a transition
  const GateSimResult act = run_chain(sim, cycles);
  EXPECT_TRUE(act.timed);
  EXPECT_EQ(act.cycles, 11u);
  EXPECT_EQ(act.zero_delay_transitions, 3u * 10);
  EXPECT_EQ(act.timed_transitions, 5u * 10);
  EXPECT_NEAR(act.glitch_share, 1.0 - 3.0 / 5.0, 1e-12);
  EXPECT_EQ(sim.max_settle_ps(), 240);
  const auto counts = sim.net_counts(chain_netlist(), "chain");
  EXPECT_EQ(counts.at("y").timed, 20u);
  EXPECT_EQ(counts.at("y").zero_delay, 0u);
  EXPECT_EQ(counts.at("b2").timed, 10u);
  EXPECT_EQ(counts.at("b2").zero_delay, 10u);
  // Per-pin activity is the timed one: the XOR's output pin toggles twice per cycle.
  int found = 0;
  for (const auto& p : act.pins)
    if (p.instance == "ux" && p.pin == "Y") {
      ++found;
      EXPECT_NEAR(p.activity, 2.0, 1e-12);
    }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(sim.missing_arcs(), 0);
}

// Inertial filtering: with XOR arcs of 300 ps, the 200 ps (a rising) or 140 ps (a falling) pulse at
// its inputs is over before its output event matures: y never moves, nothing is a glitch.
TEST(TimedGateSim, PulseShorterThanTheGateDelayVanishes) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  TimedGateSim sim(chain_netlist(), "chain", osu018(), "clk", parse_sdf(chain_sdf("0.300::0.300", "0.300::0.300")));
  const GateSimResult act = run_chain(sim, 11);
  EXPECT_EQ(act.timed_transitions, 3u * 10);
  EXPECT_EQ(act.zero_delay_transitions, 3u * 10);
  EXPECT_EQ(act.glitch_share, 0.0);
  EXPECT_EQ(sim.net_counts(chain_netlist(), "chain").at("y").timed, 0u);
}

// Only the rise arc is long (250 ps > the 200 ps pulse when a rises), the fall arc short (40 ps):
// a rising: y's rise is due at 250, b2 changes at 200, so the pulse is swallowed. a falling: y's rise
// is due at 250, b2 falls at 140 -> swallowed too. Then with a rise arc of 120 ps: a rising gives
// 120 < 200, the glitch passes; a falling gives 120 < 140, passes too.
TEST(TimedGateSim, RiseAndFallArcsAreChosenByTheNewValue) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  TimedGateSim slow(chain_netlist(), "chain", osu018(), "clk", parse_sdf(chain_sdf("0.250", "0.040")));
  EXPECT_EQ(run_chain(slow, 11).timed_transitions, 30u);
  TimedGateSim fast(chain_netlist(), "chain", osu018(), "clk", parse_sdf(chain_sdf("0.120", "0.040")));
  EXPECT_EQ(run_chain(fast, 11).timed_transitions, 50u);
  EXPECT_EQ(fast.max_settle_ps(), 240);  // a rising: b2 at 200, y falls at 240
}

// A sequential netlist (the 2-bit counter of SeqGateSim.CounterWithFeedback) with clock-to-Q arcs:
// the same outputs as the zero-delay simulator every cycle, the zero-delay counts equal to its
// toggles, and timed >= zero-delay on every net.
TEST(TimedGateSim, CounterMatchesTheZeroDelaySimulator) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  const nlohmann::json& netlist = test::counter_netlist();
  // q0 and q1 switch 150 ps after the edge, en at 0; c = q0 & en follows its inputs after 80 ps, the
  // XORs after 60 ps (no two events of d1's inputs meet at one instant).
  const SdfDelays sdf = parse_sdf(R"((DELAYFILE (TIMESCALE 1ps)
    (CELL (CELLTYPE "DFFPOSX1") (INSTANCE f0) (DELAY (ABSOLUTE (IOPATH (posedge CLK) Q (150) (150)))))
    (CELL (CELLTYPE "DFFPOSX1") (INSTANCE f1) (DELAY (ABSOLUTE (IOPATH (posedge CLK) Q (150) (150)))))
    (CELL (CELLTYPE "XOR2X1") (INSTANCE x0) (DELAY (ABSOLUTE (IOPATH A Y (60) (60)) (IOPATH B Y (60) (60)))))
    (CELL (CELLTYPE "AND2X1") (INSTANCE a0) (DELAY (ABSOLUTE (IOPATH A Y (80) (80)) (IOPATH B Y (80) (80)))))
    (CELL (CELLTYPE "XOR2X1") (INSTANCE x1) (DELAY (ABSOLUTE (IOPATH A Y (60) (60)) (IOPATH B Y (60) (60)))))))");
  const Liberty& lib = osu018();
  TimedGateSim timed(netlist, "cnt", lib, "clk", sdf);
  SeqGateSim zero(netlist, "cnt", lib, "clk");
  const int enable[] = {1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1};
  for (int e : enable) {
    for (CycleGateSim* s : {static_cast<CycleGateSim*>(&timed), static_cast<CycleGateSim*>(&zero)}) {
      s->set_input(s->port("en"), static_cast<uint64_t>(e));
      s->settle();
    }
    EXPECT_EQ(timed.output(timed.port("q")), zero.output(zero.port("q")));
    timed.sample(), zero.sample();
    timed.clock(), zero.clock();
  }
  const GateSimResult t = timed.activity(), z = zero.activity();
  EXPECT_EQ(t.zero_delay_transitions, z.zero_delay_transitions);
  EXPECT_GT(t.timed_transitions, t.zero_delay_transitions);  // the carry glitch on d1
  for (const auto& [name, c] : timed.net_counts(netlist, "cnt")) {
    EXPECT_GE(c.timed, c.zero_delay) << name;
    EXPECT_EQ((c.timed - c.zero_delay) % 2, 0u) << name << ": a glitch is a pair of transitions";
  }
  // d1 = q1 ^ c by hand. q per cycle: 0 1 2 2 3 0 1 1 1 2 3 0 1 2 (en 1 1 0 1 1 1 0 0 1 1 1 1 1 1).
  // In a cycle d1 shows q1_old ^ c_old, then (c moved by en at 80) q1_old ^ c_mid at 140, then
  // q1_new ^ c_mid at 210, then q1_new ^ c_new at 290 (c moved by q0 at 230). A glitch (two
  // transitions, settled value unchanged) where q1 and c both move: the edges 1->2 (cycles 2, 9, 13;
  // in cycle 2 c moves with en) and 3->0 (cycles 5, 11): five glitches.
  const auto counts = timed.net_counts(netlist, "cnt");
  EXPECT_EQ(counts.at("d1").timed - counts.at("d1").zero_delay, 2u * 5);
}

// A flattened hierarchy's cell "blk.u1" takes the SDF's "blk/u1"; a cell the SDF does not cover
// is counted (the XOR: two arcs), so the flows can refuse to simulate it with zero delays.
TEST(TimedGateSim, MissingArcsAreCountedAndDotsMatchTheSdfDivider) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  nlohmann::json netlist = chain_netlist();
  auto& cells = netlist["modules"]["chain"]["cells"];
  cells["blk.u1"] = cells["u1"];
  cells.erase("u1");
  const SdfDelays sdf = parse_sdf(R"((DELAYFILE (DIVIDER /) (TIMESCALE 1ps)
    (CELL (CELLTYPE "BUFX2") (INSTANCE blk/u1) (DELAY (ABSOLUTE (IOPATH A Y (100) (70)))))
    (CELL (CELLTYPE "BUFX2") (INSTANCE u2) (DELAY (ABSOLUTE (IOPATH A Y (100) (70)))))))");
  TimedGateSim sim(netlist, "chain", osu018(), "clk", sdf);
  EXPECT_EQ(sim.missing_arcs(), 2);
  // With the XOR at zero delay: a rises at 0, y rises at 0, b2 rises at 200, y falls at 200.
  run_chain(sim, 3);
  EXPECT_EQ(sim.max_settle_ps(), 200);  // the buffers' delays were found, blk.u1's included
}

// A generate block's instance holds a dot in its own name: Yosys flattens u2 inside instance
// "g_col[0].u_lane" to the cell "g_col[0].u_lane.u2", and OpenSTA writes it escaped,
// g_col\[0\]\.u_lane/u2. Read with every '.' taken as a divider, the SDF would miss that cell
// (before the fix: "SDF gives no delay for N cell arcs"); keyed as Yosys names it, both the plain
// hierarchy (blk/u1) and the escaped dot are found.
TEST(TimedGateSim, EscapedDotsInInstanceNamesMatchTheFlattenedCells) {
  if (!fs::exists(kOsu018Lib)) GTEST_SKIP() << "osu018 library missing";
  nlohmann::json netlist = chain_netlist();
  auto& cells = netlist["modules"]["chain"]["cells"];
  cells["blk.u1"] = cells["u1"];
  cells["g_col[0].u_lane.u2"] = cells["u2"];
  cells["g_col[0].u_lane.ux"] = cells["ux"];
  cells.erase("u1"), cells.erase("u2"), cells.erase("ux");
  const SdfDelays sdf = parse_sdf(R"((DELAYFILE (DIVIDER /) (TIMESCALE 1ps)
    (CELL (CELLTYPE "BUFX2") (INSTANCE blk/u1) (DELAY (ABSOLUTE (IOPATH A Y (100) (70)))))
    (CELL (CELLTYPE "BUFX2") (INSTANCE g_col\[0\]\.u_lane/u2) (DELAY (ABSOLUTE (IOPATH A Y (100) (70)))))
    (CELL (CELLTYPE "XOR2X1") (INSTANCE g_col\[0\]\.u_lane/ux)
      (DELAY (ABSOLUTE (IOPATH A Y (50) (40)) (IOPATH B Y (50) (40)))))))");
  EXPECT_EQ(sdf.instances.count("g_col[0].u_lane.u2"), 1u);
  EXPECT_EQ(sdf.instances.count("g_col[0].u_lane.ux"), 1u);
  EXPECT_EQ(sdf.instances.count("blk.u1"), 1u);
  TimedGateSim sim(netlist, "chain", osu018(), "clk", sdf);
  EXPECT_EQ(sim.missing_arcs(), 0);
  // The hand-worked chain's figures (HandWorkedChainGlitchesOncePerInputTransition): the delays apply.
  const GateSimResult act = run_chain(sim, 11);
  EXPECT_EQ(act.timed_transitions, 5u * 10);
  EXPECT_EQ(sim.max_settle_ps(), 240);
}

// The divider may be '.' (DIVIDER .): an escaped dot is still part of a name.
TEST(Sdf, DividerDotAndEscapedDotsGiveTheFlattenedName) {
  const SdfDelays d = parse_sdf(R"((DELAYFILE (DIVIDER .)
    (CELL (CELLTYPE "X") (INSTANCE g_col\[1\]\.u_lane.u_q._7_) (DELAY (ABSOLUTE (IOPATH A Y (1) (1)))))))");
  ASSERT_EQ(d.instances.size(), 1u);
  EXPECT_EQ(d.instances.begin()->first, "g_col[1].u_lane.u_q._7_");
  EXPECT_THROW(parse_sdf("(DELAYFILE (DIVIDER :))"), std::runtime_error);
}

TEST(Sdf, ReadsTimescaleTriplesEdgesAndEscapedNames) {
  const SdfDelays d = parse_sdf(R"((DELAYFILE (SDFVERSION "3.0") (TIMESCALE 100 ps)
    (CELL (CELLTYPE "top") (INSTANCE) (DELAY (ABSOLUTE (INTERCONNECT a u\[1\]/A (0.5::0.7)))))
    (CELL (CELLTYPE "X") (INSTANCE u\[1\]) (DELAY (ABSOLUTE (IOPATH (posedge CLK) Q (1.0:2.0:3.0) (::4.0)))
      (INCREMENT (IOPATH A Y (0.014) ())))
      (TIMINGCHECK (SETUP D (posedge CLK) (1.0))))))");
  ASSERT_EQ(d.instances.size(), 1u);
  const auto& arcs = d.instances.at("u[1]");
  ASSERT_EQ(arcs.size(), 2u);
  EXPECT_EQ(arcs[0].from, "CLK");
  EXPECT_EQ(arcs[0].to, "Q");
  EXPECT_EQ(arcs[0].rise_ps, 200);  // typ of 1:2:3, x 100 ps
  EXPECT_EQ(arcs[0].fall_ps, 400);  // max when typ is empty
  EXPECT_EQ(arcs[1].rise_ps, 1);    // 1.4 ps rounds to 1
  EXPECT_EQ(arcs[1].fall_ps, 0);    // () is no delay
  EXPECT_NEAR(d.max_interconnect_ps, 70, 1e-9);
  EXPECT_EQ(d.max_delay_ps(), 400);
  EXPECT_THROW(parse_sdf("(CELL)"), std::runtime_error);
  EXPECT_THROW(parse_sdf("(DELAYFILE (TIMESCALE 1 furlong))"), std::runtime_error);
  EXPECT_THROW(parse_sdf("(DELAYFILE (CELL (INSTANCE x) (DELAY (ABSOLUTE (IOPATH A Y (1"), std::runtime_error);
}

}  // namespace
}  // namespace gm
