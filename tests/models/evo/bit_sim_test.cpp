// The bit-parallel simulator against a naive per-pair evaluation written here, on random netlists
// and on exact array multipliers built gate by gate in the test; and its speed.
#include <gtest/gtest.h>

#include <random>

#include "models/arith.hpp"
#include "models/evo/bit_sim.hpp"
#include "models/pairs.hpp"
#include "tests/support/array_netlist.hpp"

namespace {

using gm::evo::GateNetlist;
using gm::evo::GateOp;

// One pair, one gate at a time, on 0/1 values: the definition of each op, independent of BitSim.
int64_t naive_product(const GateNetlist& n, uint64_t a_bits, uint64_t b_bits) {
  std::vector<int> v(n.net_count());
  v[GateNetlist::kConst0] = 0;
  v[GateNetlist::kConst1] = 1;
  for (int i = 0; i < n.w; ++i) {
    v[n.net_a(i)] = (a_bits >> i) & 1;
    v[n.net_b(i)] = (b_bits >> i) & 1;
  }
  for (size_t k = 0; k < n.gates.size(); ++k) {
    const int x = v[n.gates[k].in0], y = v[n.gates[k].in1];
    int r = 0;
    switch (n.gates[k].op) {
      case GateOp::kAnd: r = x && y; break;
      case GateOp::kOr: r = x || y; break;
      case GateOp::kXor: r = x != y; break;
      case GateOp::kNand: r = !(x && y); break;
      case GateOp::kNor: r = !(x || y); break;
      case GateOp::kXnor: r = x == y; break;
      case GateOp::kAndNot: r = x && !y; break;
      case GateOp::kOrNot: r = x || !y; break;
      case GateOp::kNot: r = !x; break;
      case GateOp::kBuf: r = x; break;
    }
    v[n.net_of_gate(k)] = r;
  }
  int64_t p = 0;
  for (int i = 0; i < 2 * n.w; ++i) p |= int64_t{v[n.outputs[i]]} << i;
  return gm::wrap(p, 2 * n.w, n.is_signed);
}

void expect_equals_naive(const GateNetlist& n, gm::evo::BitSim& sim) {
  std::vector<int64_t> table;
  sim.products(n, table);
  ASSERT_EQ(table.size(), size_t{1} << (2 * n.w));
  const uint64_t mask = (uint64_t{1} << n.w) - 1;
  for (uint64_t k = 0; k < table.size(); ++k)
    ASSERT_EQ(table[k], naive_product(n, k >> n.w, k & mask)) << "w=" << n.w << " s=" << n.is_signed << " pair " << k;
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

