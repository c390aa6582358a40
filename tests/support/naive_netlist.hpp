// An evo gate netlist evaluated one pair and one gate at a time on 0/1 values: the definition of
// each op, independent of the bit-parallel simulators under test.
#pragma once

#include <cstdint>
#include <vector>

#include "models/arith.hpp"
#include "models/evo/gate_netlist.hpp"

namespace gm::test {

// One gate's value on 0/1 inputs (NOT and BUF read x only).
inline int naive_gate(evo::GateOp op, int x, int y) {
  using evo::GateOp;
  switch (op) {
    case GateOp::kAnd: return x && y;
    case GateOp::kOr: return x || y;
    case GateOp::kXor: return x != y;
    case GateOp::kNand: return !(x && y);
    case GateOp::kNor: return !(x || y);
    case GateOp::kXnor: return x == y;
    case GateOp::kAndNot: return x && !y;
    case GateOp::kOrNot: return x || !y;
    case GateOp::kNot: return !x;
    case GateOp::kBuf: return x;
  }
  return 0;
}

// The value (0/1) of every net for the pair (a_bits, b_bits).
inline std::vector<int> naive_net_values(const evo::GateNetlist& n, uint64_t a_bits, uint64_t b_bits) {
  std::vector<int> v(n.net_count());
  v[evo::GateNetlist::kConst0] = 0;
  v[evo::GateNetlist::kConst1] = 1;
  for (int i = 0; i < n.w; ++i) {
    v[n.net_a(i)] = (a_bits >> i) & 1;
    v[n.net_b(i)] = (b_bits >> i) & 1;
  }
  for (size_t k = 0; k < n.gates.size(); ++k)
    v[n.net_of_gate(k)] = naive_gate(n.gates[k].op, v[n.gates[k].in0], v[n.gates[k].in1]);
  return v;
}

inline int64_t naive_product(const evo::GateNetlist& n, uint64_t a_bits, uint64_t b_bits) {
  const std::vector<int> v = naive_net_values(n, a_bits, b_bits);
  int64_t p = 0;
  for (int i = 0; i < 2 * n.w; ++i) p |= int64_t{v[n.outputs[i]]} << i;
  return wrap(p, 2 * n.w, n.is_signed);
}

}  // namespace gm::test
