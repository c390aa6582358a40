// One gate of a netlist evaluated on B words at once: the inner loop shared by the exhaustive
// simulator (bit_sim.hpp) and the stream simulator (stream_activity.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/evo/gate_netlist.hpp"

namespace gm::evo {

inline void eval_gate(GateOp op, const uint64_t* x, const uint64_t* y, uint64_t* o, size_t b) {
  switch (op) {
    case GateOp::kAnd: for (size_t j = 0; j < b; ++j) o[j] = x[j] & y[j]; break;
    case GateOp::kOr: for (size_t j = 0; j < b; ++j) o[j] = x[j] | y[j]; break;
    case GateOp::kXor: for (size_t j = 0; j < b; ++j) o[j] = x[j] ^ y[j]; break;
    case GateOp::kNand: for (size_t j = 0; j < b; ++j) o[j] = ~(x[j] & y[j]); break;
    case GateOp::kNor: for (size_t j = 0; j < b; ++j) o[j] = ~(x[j] | y[j]); break;
    case GateOp::kXnor: for (size_t j = 0; j < b; ++j) o[j] = ~(x[j] ^ y[j]); break;
    case GateOp::kAndNot: for (size_t j = 0; j < b; ++j) o[j] = x[j] & ~y[j]; break;
    case GateOp::kOrNot: for (size_t j = 0; j < b; ++j) o[j] = x[j] | ~y[j]; break;
    case GateOp::kNot: for (size_t j = 0; j < b; ++j) o[j] = ~x[j]; break;
    case GateOp::kBuf: for (size_t j = 0; j < b; ++j) o[j] = x[j]; break;
  }
}

}  // namespace gm::evo
