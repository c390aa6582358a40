// Switching activity under an operand stream against a count written here: every gate's value per
// pair from the naive evaluator, transitions counted between consecutive pairs.
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
