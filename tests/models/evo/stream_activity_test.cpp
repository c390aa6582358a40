// Switching activity under an operand stream against counts written here: under the zero delay,
// every gate's value per pair from the naive evaluator, transitions counted between consecutive
// pairs; under the unit delay, a step-by-step simulation of each change of the operands that
// recomputes every gate until none changes, one value at a time.
#include <gtest/gtest.h>

#include <random>

#include "models/evo/stream_activity.hpp"
#include "tests/support/array_netlist.hpp"
#include "tests/support/naive_netlist.hpp"

namespace {

using gm::evo::GateNetlist;

void expect_naive_toggles(const GateNetlist& n, const std::vector<std::pair<int64_t, int64_t>>& stream) {
  gm::evo::StreamActivity act(stream, n.w);
  std::vector<double> rates;
  act.toggle_rates(n, rates);
  const size_t used = std::min(stream.size(), gm::evo::StreamActivity::kMaxPairs);
  ASSERT_EQ(act.pairs(), used);
  std::vector<uint8_t> active;
  gm::evo::mark_active(n, active);
  const uint64_t mask = (uint64_t{1} << n.w) - 1;
  std::vector<int> count(n.gates.size(), 0), prev;
  for (size_t p = 0; p < used; ++p) {
    const auto v = gm::test::naive_net_values(n, static_cast<uint64_t>(stream[p].first) & mask,
                                              static_cast<uint64_t>(stream[p].second) & mask);
    if (p > 0)
      for (size_t k = 0; k < n.gates.size(); ++k) count[k] += v[n.net_of_gate(k)] != prev[n.net_of_gate(k)];
    prev = v;
  }
  int toggling = 0;
  for (size_t k = 0; k < n.gates.size(); ++k) {
    const double expected = active[k] ? static_cast<double>(count[k]) / static_cast<double>(used - 1) : 0.0;
    ASSERT_NEAR(rates[k], expected, 1e-12) << "gate " << k;
    toggling += rates[k] > 0;
  }
  EXPECT_GT(toggling, 0);
}

// Unit-delay transitions of every gate over the stream, one operand change at a time: step 0 holds
// the gates at the previous pair's settled values and the operands at the new pair's; each step
// recomputes every gate from the step before, until a step changes nothing.
std::vector<int> naive_unit_delay_counts(const GateNetlist& n, const std::vector<std::pair<int64_t, int64_t>>& stream) {
  const uint64_t mask = (uint64_t{1} << n.w) - 1;
  std::vector<int> count(n.gates.size(), 0);
  for (size_t p = 1; p < stream.size(); ++p) {
    std::vector<int> v = gm::test::naive_net_values(n, static_cast<uint64_t>(stream[p - 1].first) & mask,
                                                    static_cast<uint64_t>(stream[p - 1].second) & mask);
    const std::vector<int> now = gm::test::naive_net_values(n, static_cast<uint64_t>(stream[p].first) & mask,
                                                            static_cast<uint64_t>(stream[p].second) & mask);
    std::copy(now.begin(), now.begin() + n.first_gate_net(), v.begin());
    for (bool changed = true; changed;) {
      changed = false;
      std::vector<int> next = v;
      for (size_t k = 0; k < n.gates.size(); ++k) {
        const uint32_t o = n.net_of_gate(k);
        next[o] = gm::test::naive_gate(n.gates[k].op, v[n.gates[k].in0], v[n.gates[k].in1]);
        if (next[o] != v[o]) ++count[k], changed = true;
      }
      v = next;
    }
    EXPECT_EQ(v, now) << "pair " << p << " settles where the zero-delay evaluation is";
  }
  return count;
}

std::vector<std::pair<int64_t, int64_t>> random_stream(std::mt19937_64& rng, size_t length, int w) {
  std::vector<std::pair<int64_t, int64_t>> s;
  const int64_t half = int64_t{1} << (w - 1);
  for (size_t p = 0; p < length; ++p)
    s.emplace_back(static_cast<int64_t>(rng() % (2 * half)) - half, static_cast<int64_t>(rng() % (2 * half)) - half);
  return s;
}

}  // namespace

TEST(EvoStreamActivity, TogglesEqualANaiveCountOnEveryGate) {
  std::mt19937_64 rng(11);
  const GateNetlist n = gm::test::array_multiplier(4, true);
  // A length that is not a multiple of 64 (the last word's padding must add nothing), and one word.
  expect_naive_toggles(n, random_stream(rng, 301, 4));
  expect_naive_toggles(n, random_stream(rng, 64, 4));
}

TEST(EvoStreamActivity, AWeightStationaryStreamTogglesOnlyWhatTheActivationsReach) {
  std::mt19937_64 rng(3);
  GateNetlist n = gm::test::array_multiplier(4, true);
  const uint32_t only_b = n.add(gm::evo::GateOp::kAnd, n.net_b(0), n.net_b(1));
  n.outputs[0] = only_b;  // an output that depends on the weight alone
  auto s = random_stream(rng, 200, 4);
  for (auto& [a, b] : s) b = 5;  // the weight stays
  expect_naive_toggles(n, s);
  gm::evo::StreamActivity act(s, 4);
  std::vector<double> rates;
  act.toggle_rates(n, rates);
  EXPECT_EQ(rates[n.gates.size() - 1], 0.0);
}

TEST(EvoStreamActivity, KeepsTheFirstPairsOfALongStream) {
  std::mt19937_64 rng(5);
  expect_naive_toggles(gm::test::array_multiplier(3, false), random_stream(rng, 5000, 3));
}

TEST(EvoStreamActivity, UnitDelayEqualsAStepByStepSimulationOnEveryGate) {
  std::mt19937_64 rng(17);
  GateNetlist n = gm::test::array_multiplier(4, true);
  // Paths of unequal length into one gate: a ripple of the array's sums meets a fresh partial product.
  n.outputs[7] = n.add(gm::evo::GateOp::kXor, n.outputs[7], n.add(gm::evo::GateOp::kAnd, n.net_a(3), n.net_b(3)));
  n.add(gm::evo::GateOp::kOr, n.net_a(0), n.net_b(0));  // read by no output: never counted
  for (const size_t length : {size_t{301}, size_t{64}}) {
    const auto stream = random_stream(rng, length, 4);
    gm::evo::StreamActivity unit(stream, 4, gm::evo::ActivityDelay::kUnit), zero(stream, 4);
    std::vector<double> unit_rates, zero_rates;
    unit.toggle_rates(n, unit_rates);
    zero.toggle_rates(n, zero_rates);
    const std::vector<int> count = naive_unit_delay_counts(n, stream);
    std::vector<uint8_t> active;
    gm::evo::mark_active(n, active);
    double glitches = 0;
    for (size_t k = 0; k < n.gates.size(); ++k) {
      const double expected = active[k] ? static_cast<double>(count[k]) / static_cast<double>(length - 1) : 0.0;
      ASSERT_NEAR(unit_rates[k], expected, 1e-12) << "gate " << k;
      ASSERT_GE(unit_rates[k], zero_rates[k] - 1e-12) << "gate " << k;
      glitches += unit_rates[k] - zero_rates[k];
    }
    EXPECT_EQ(unit_rates.back(), 0.0);
    EXPECT_GT(glitches, 0.0) << "an array multiplier glitches under the unit delay";
  }
}

TEST(EvoStreamActivity, UnitDelayCountsTheHazardOfAnXorOfASignalAndItsDelayedCopy) {
  // y = a0 xor not(not(a0)) is 0 for every pair, but each change of a0 reaches the xor's first
  // input one step and its second input three steps after the change: two transitions, 0 -> 1 -> 0.
  GateNetlist n;
  n.w = 2;
  const uint32_t inv = n.add(gm::evo::GateOp::kNot, n.net_a(0));
  const uint32_t copy = n.add(gm::evo::GateOp::kNot, inv);
  const uint32_t y = n.add(gm::evo::GateOp::kXor, n.net_a(0), copy);
  n.outputs.assign(4, y);
  std::vector<std::pair<int64_t, int64_t>> stream;
  for (int p = 0; p < 100; ++p) stream.emplace_back(p % 2, 1);  // a0 changes at every pair
  std::vector<double> unit, zero;
  gm::evo::StreamActivity(stream, 2, gm::evo::ActivityDelay::kUnit).toggle_rates(n, unit);
  gm::evo::StreamActivity(stream, 2).toggle_rates(n, zero);
  EXPECT_DOUBLE_EQ(unit[0], 1.0);
  EXPECT_DOUBLE_EQ(unit[1], 1.0);
  EXPECT_DOUBLE_EQ(unit[2], 2.0);
  EXPECT_DOUBLE_EQ(zero[2], 0.0);
}

TEST(EvoStreamActivity, DelayModelNames) {
  gm::evo::ActivityDelay d = gm::evo::ActivityDelay::kZero;
  ASSERT_TRUE(gm::evo::activity_delay_from_name("unit", d));
  EXPECT_EQ(d, gm::evo::ActivityDelay::kUnit);
  EXPECT_STREQ(gm::evo::activity_delay_name(d), "unit");
  ASSERT_TRUE(gm::evo::activity_delay_from_name("zero", d));
  EXPECT_EQ(d, gm::evo::ActivityDelay::kZero);
  EXPECT_FALSE(gm::evo::activity_delay_from_name("timed", d));
}
