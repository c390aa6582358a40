// An exact array multiplier written gate by gate as an evo gate netlist, for the tests of the
// netlist, its simulator and the evo family. Built here, in the test, not by the code under test.
//
// Unsigned: the partial products a_i & b_j, row j shifted by j, summed row after row by a ripple of
// full adders over the 2w product bits (the carry out of the top bit dropped). Signed: the modified
// Baugh-Wooley matrix, the cells with exactly one index at the sign position w-1 inverted (NAND),
// plus the constants 2^w and 2^(2w-1):
//     a*b = sum_(i,j) cell(i, j) 2^(i+j) + 2^w + 2^(2w-1)  (mod 2^(2w)).
#pragma once

#include <vector>

#include "models/evo/gate_netlist.hpp"

namespace gm::test {

// s = x ^ y ^ z, c = (x & y) | (z & (x ^ y))
inline void full_adder(evo::GateNetlist& n, uint32_t x, uint32_t y, uint32_t z, uint32_t& s, uint32_t& c) {
  using evo::GateOp;
  const uint32_t p = n.add(GateOp::kXor, x, y);
  s = n.add(GateOp::kXor, p, z);
  c = n.add(GateOp::kOr, n.add(GateOp::kAnd, x, y), n.add(GateOp::kAnd, z, p));
}

inline evo::GateNetlist array_multiplier(int w, bool is_signed) {
  using evo::GateNetlist;
  using evo::GateOp;
  GateNetlist n{.w = w, .is_signed = is_signed, .gates = {}, .outputs = {}};
  const int bits = 2 * w;
  std::vector<uint32_t> acc(bits, GateNetlist::kConst0);
  const auto add_row = [&](const std::vector<uint32_t>& row) {
    uint32_t carry = GateNetlist::kConst0;
    for (int k = 0; k < bits; ++k) full_adder(n, acc[k], row[k], carry, acc[k], carry);
  };
  for (int j = 0; j < w; ++j) {
    std::vector<uint32_t> row(bits, GateNetlist::kConst0);
    for (int i = 0; i < w; ++i) {
      const bool inverted = is_signed && ((i == w - 1) != (j == w - 1));
      row[i + j] = n.add(inverted ? GateOp::kNand : GateOp::kAnd, n.net_a(i), n.net_b(j));
    }
    add_row(row);
  }
  if (is_signed) {
    std::vector<uint32_t> constants(bits, GateNetlist::kConst0);
    constants[w] = constants[bits - 1] = GateNetlist::kConst1;
    add_row(constants);
  }
  n.outputs = acc;
  return n;
}

}  // namespace gm::test
