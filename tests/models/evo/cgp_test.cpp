// The CGP search: mutations keep a valid netlist and report truthfully whether the active circuit
// changed; a search meets its bound (checked by models/metrics.cpp on the result) for less cost
// than its seed; and a run is a function of its seed, not of the threads or of being resumed.
#include <gtest/gtest.h>

#include <random>

#include "models/evo/bit_sim.hpp"
#include "models/evo/cgp.hpp"
#include "models/evo/library.hpp"
#include "models/metrics.hpp"
#include "tests/support/array_netlist.hpp"

namespace {

using gm::evo::GateNetlist;

// Every signed 4-bit pair, small operands more likely (as a network's are).
gm::Distribution peaked_distribution() {
  std::vector<gm::Distribution::Entry> e;
  for (int a = -8; a < 8; ++a)
    for (int b = -8; b < 8; ++b) e.push_back({.a = a, .b = b, .p = 1.0 / (1 + a * a + b * b), .line = 0});
  return gm::normalised_distribution(e, "test");
}

std::vector<std::pair<int64_t, int64_t>> stream(int length) {
  std::mt19937_64 rng(9);
  std::vector<std::pair<int64_t, int64_t>> s;
  for (int k = 0; k < length; ++k) s.emplace_back(static_cast<int64_t>(rng() % 16) - 8, static_cast<int64_t>(rng() % 16) - 8);
  return s;
}

gm::evo::GateCosts unit_costs() {
  gm::evo::GateCosts c;
  c.area.fill(2);
  c.area[static_cast<size_t>(gm::evo::GateOp::kNot)] = 1;
  c.area[static_cast<size_t>(gm::evo::GateOp::kBuf)] = 0;
  return c;
}

struct SearchSetup {
  gm::Distribution dist = peaked_distribution();
  gm::evo::ErrorEvaluator error{dist, 4, true};
  gm::evo::GateCosts costs = unit_costs();
  GateNetlist seed = gm::test::array_multiplier(4, true);
  gm::evo::ErrorBound bound = gm::evo::parse_error_bound("wmed=1.5", 4);

  GateNetlist search(uint64_t random_seed, int threads, uint64_t evaluations, gm::evo::CgpState* resume = nullptr) {
    gm::evo::CgpOptions opt;
    opt.threads = threads;
    gm::evo::CgpSearch s(error, gm::evo::StreamActivity(stream(500), 4), costs, opt);
    gm::evo::CgpState state = resume ? *resume : s.start(seed, bound, random_seed);
    if (resume) state.fitness = s.start(state.parent, bound, random_seed).fitness;
    gm::evo::CgpLimits limits;
    limits.evaluations = evaluations;
    s.run(state, bound, limits, [&](const gm::evo::CgpState& st) {
      if (resume) return;
      last = st;
    });
    return state.parent;
  }
  gm::evo::CgpState last;
};

}  // namespace

TEST(EvoCgp, MutationsKeepAValidNetlistAndSayWhenTheActiveCircuitChanged) {
  std::mt19937_64 rng(1);
  GateNetlist n = gm::test::array_multiplier(4, true);
  gm::evo::BitSim sim;
  std::vector<int64_t> before, after;
  int active_changes = 0, silent = 0;
  for (int k = 0; k < 1500; ++k) {
    std::vector<uint8_t> active;
    gm::evo::mark_active(n, active);
    sim.products(n, before);
    const GateNetlist old = n;
    const bool touched = gm::evo::CgpSearch::mutate_gene(n, active, rng);
    ASSERT_NE(n, old) << "a mutation must change a gene";
    // Still a DAG in topological order: it writes and parses back to itself.
    ASSERT_EQ(gm::evo::parse_gate_netlist(gm::evo::canonical_text(n), "mutant"), n);
    sim.products(n, after);
    if (!touched) {
      ASSERT_EQ(before, after) << "a mutation of an inactive gene changed the function";
      ++silent;
    } else {
      ++active_changes;
    }
  }
  EXPECT_GT(active_changes, 100);
  EXPECT_GT(silent, 10);
}

TEST(EvoCgp, ASearchMeetsItsBoundForLessCostThanItsSeed) {
  SearchSetup s;
  const GateNetlist result = s.search(1, 1, 4000);
  gm::MetricOptions mo;
  mo.dist = &s.dist;
  const gm::ErrorMetrics m = gm::compute_metrics(gm::evo::netlist_model(result), 4, true, mo);
  EXPECT_LE(m.med, 1.5);
  EXPECT_GT(m.med, 0) << "the search should use the error it is allowed";
  gm::evo::CgpSearch eval(s.error, gm::evo::StreamActivity(stream(500), 4), s.costs, {});
  eval.start(s.seed, s.bound, 1);
  const auto seed_fit = eval.evaluate(s.seed), result_fit = eval.evaluate(result);
  EXPECT_LT(result_fit.cost(0.02), 0.8 * seed_fit.cost(0.02));
  EXPECT_LT(result_fit.gates, seed_fit.gates);
}

TEST(EvoCgp, ARunDependsOnItsSeedNotOnThreadsOrBeingResumed) {
  SearchSetup s;
  const GateNetlist one_thread = s.search(5, 1, 1200);
  EXPECT_EQ(s.search(5, 2, 1200), one_thread);
  EXPECT_NE(s.search(6, 1, 1200), one_thread);
  // Stopped at 600 evaluations and resumed from that checkpoint to 1200: the same circuit.
  s.search(5, 1, 600);
  gm::evo::CgpState checkpoint = s.last;
  ASSERT_EQ(checkpoint.evaluations, 600u);
  EXPECT_EQ(s.search(5, 1, 1200, &checkpoint), one_thread);
}

// evolve --dist-layer: the bound must hold on every distribution. A circuit that adds 4 to every
// product lacking bit 2 is within wmed=1 on a mix where such products are rare, and 4 off on a
// layer that multiplies only them: it violates the bound, though the cost is the same.
TEST(EvoCgp, ACandidateInsideTheBoundOnTheTotalButOutsideOnOneLayerViolates) {
  std::vector<gm::Distribution::Entry> total, layer;
  for (int a = -8; a < 8; ++a)
    for (int b = -8; b < 8; ++b) {
      const bool bit2 = ((a * b) & 4) != 0;  // two's complement: bit 2 of the exact product
      total.push_back({.a = a, .b = b, .p = bit2 ? 1000.0 : 1.0, .line = 0});
      if (!bit2) layer.push_back({.a = a, .b = b, .p = 1.0, .line = 0});
    }
  const gm::Distribution total_dist = gm::normalised_distribution(total, "total");
  const gm::Distribution layer_dist = gm::normalised_distribution(layer, "layer");
  const gm::evo::ErrorEvaluator total_error(total_dist, 4, true), layer_error(layer_dist, 4, true);
  GateNetlist off = gm::test::array_multiplier(4, true);
  off.outputs[2] = GateNetlist::kConst1;
  const gm::evo::ErrorBound bound = gm::evo::parse_error_bound("wmed=1", 4);
  const auto costs = unit_costs();

  gm::evo::CgpSearch whole_only(total_error, gm::evo::StreamActivity(stream(100), 4), costs, {});
  whole_only.start(off, bound, 1);
  const gm::evo::Fitness f0 = whole_only.evaluate(off);
  EXPECT_GT(f0.error.wmed, 0);
  EXPECT_LT(f0.error.wmed, 1);
  EXPECT_EQ(f0.violation, 0) << "inside the bound on the whole mix";

  gm::evo::CgpSearch with_layer(total_error, gm::evo::StreamActivity(stream(100), 4), costs, {}, {&layer_error});
  with_layer.start(off, bound, 1);
  const gm::evo::Fitness f1 = with_layer.evaluate(off);
  ASSERT_EQ(f1.layer_errors.size(), 1u);
  EXPECT_NEAR(f1.layer_errors[0].wmed, 4.0, 1e-12);  // every pair of the layer is 4 off
  EXPECT_NEAR(f1.violation, 4.0 / 1 - 1, 1e-12);     // outside on the layer alone: 4 / 1 - 1
  EXPECT_EQ(f1.cost(0.02), f0.cost(0.02));         // the cost does not change
  // The exact circuit is inside on both.
  const gm::evo::Fitness exact = with_layer.evaluate(gm::test::array_multiplier(4, true));
  EXPECT_EQ(exact.violation, 0);
}
