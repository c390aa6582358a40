// The bit-parallel simulator against a naive per-pair evaluation written here, on random netlists
// and on exact array multipliers built gate by gate in the test; and its speed.
#include <gtest/gtest.h>

#include <random>

#include "models/arith.hpp"
#include "models/evo/bit_sim.hpp"
#include "models/pairs.hpp"
#include "tests/support/array_netlist.hpp"
#include "tests/support/naive_netlist.hpp"

namespace {

using gm::evo::GateNetlist;
using gm::evo::GateOp;

void expect_equals_naive(const GateNetlist& n, gm::evo::BitSim& sim) {
  std::vector<int64_t> table;
  sim.products(n, table);
  ASSERT_EQ(table.size(), size_t{1} << (2 * n.w));
  const uint64_t mask = (uint64_t{1} << n.w) - 1;
  for (uint64_t k = 0; k < table.size(); ++k)
    ASSERT_EQ(table[k], gm::test::naive_product(n, k >> n.w, k & mask)) << "w=" << n.w << " s=" << n.is_signed << " pair " << k;
}

}  // namespace

TEST(EvoBitSim, EqualsANaivePerPairEvaluationOnRandomNetlists) {
  std::mt19937_64 rng(2024);
  gm::evo::BitSim sim;  // one object across widths: its buffers are reused and re-made per width
  for (int trial = 0; trial < 60; ++trial) {
    const int w = 2 + trial % 7;
    GateNetlist n{.w = w, .is_signed = (trial / 7) % 2 == 1, .gates = {}, .outputs = {}};
    for (int k = 0; k < 80; ++k) {
      const uint32_t nets = static_cast<uint32_t>(n.net_count());
      n.add(static_cast<GateOp>(rng() % gm::evo::kGateOpCount), static_cast<uint32_t>(rng() % nets),
            static_cast<uint32_t>(rng() % nets));
    }
    for (int i = 0; i < 2 * w; ++i) n.outputs.push_back(static_cast<uint32_t>(rng() % n.net_count()));
    expect_equals_naive(n, sim);
  }
}

TEST(EvoBitSim, ArrayMultipliersBuiltInTheTestGiveEveryProduct) {
  gm::evo::BitSim sim;
  for (const int w : {2, 3, 4, 8})
    for (const bool s : {false, true}) {
      const GateNetlist n = gm::test::array_multiplier(w, s);
      std::vector<int64_t> table;
      sim.products(n, table);
      for (int64_t a = gm::operand_min(w, s); a <= gm::operand_max(w, s); ++a)
        for (int64_t b = gm::operand_min(w, s); b <= gm::operand_max(w, s); ++b)
          ASSERT_EQ(table[gm::pair_index(a, b, w)], a * b) << "w=" << w << " s=" << s << " " << a << "*" << b;
      if (w == 4) expect_equals_naive(n, sim);
    }
}

