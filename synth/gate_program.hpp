// Cell functions compiled once into a flat program over 64-bit words, for the zero-delay
// simulator (SeqGateSim): instead of interpreting each cell's Liberty expression (a postfix program
// read through a per-call operand gather, ~70 ns a cell), each output is ONE instruction of a small
// fixed set (the shapes of the library's cells: NAND2, AOI21, OAI22, MUX2, XOR3, majority, ...),
// matched by truth table under every permutation of the cell's inputs; a function that fits none
// is lowered to several instructions (NOT/AND/OR/XOR into temporaries). Operands are slots of one
// word array (nets, flop states, temporaries), so a netlist's settle is one pass over a vector.
#pragma once

#include <cstdint>
#include <vector>

#include "synth/liberty.hpp"

namespace gm::gate {

enum class Op : uint8_t {
  Buf, Inv, And2, Nand2, Or2, Nor2, Xor2, Xnor2, And3, Nand3, Or3, Nor3,
  Aoi21, Oai21, Aoi22, Oai22, Mux2, Nmux2, Maj3, Xor3, Xnor3,
  ClrPre,  // d = (a & ~b) | c: a flop's state under asynchronous clear b and preset c
};

struct Ins {
  Op op;
  uint32_t d, a, b, c, e;  // destination and operand slots (unused operands 0)
};

// Appends the instructions that compute `expr` (its vars at var_slots, in expr.vars() order) into
// slot `dst`. Temporaries are taken from next_temp upward (next_temp is advanced). Slots 0 and 1
// must hold the constants 0 and ~0.
void compile_function(const LibExpr& expr, const std::vector<uint32_t>& var_slots, uint32_t dst,
                      std::vector<Ins>& prog, uint32_t& next_temp);

inline void run_program(const Ins* p, const Ins* end, uint64_t* v) {
  for (; p != end; ++p) {
    const uint64_t a = v[p->a], b = v[p->b];
    uint64_t r;
    switch (p->op) {
      case Op::Buf: r = a; break;
      case Op::Inv: r = ~a; break;
      case Op::And2: r = a & b; break;
      case Op::Nand2: r = ~(a & b); break;
      case Op::Or2: r = a | b; break;
      case Op::Nor2: r = ~(a | b); break;
      case Op::Xor2: r = a ^ b; break;
      case Op::Xnor2: r = ~(a ^ b); break;
      case Op::And3: r = a & b & v[p->c]; break;
      case Op::Nand3: r = ~(a & b & v[p->c]); break;
      case Op::Or3: r = a | b | v[p->c]; break;
      case Op::Nor3: r = ~(a | b | v[p->c]); break;
      case Op::Aoi21: r = ~((a & b) | v[p->c]); break;
      case Op::Oai21: r = ~((a | b) & v[p->c]); break;
      case Op::Aoi22: r = ~((a & b) | (v[p->c] & v[p->e])); break;
      case Op::Oai22: r = ~((a | b) & (v[p->c] | v[p->e])); break;
      case Op::Mux2: { const uint64_t s = v[p->c]; r = (a & ~s) | (b & s); break; }
      case Op::Nmux2: { const uint64_t s = v[p->c]; r = ~((a & ~s) | (b & s)); break; }
      case Op::Maj3: { const uint64_t c = v[p->c]; r = (a & b) | (a & c) | (b & c); break; }
      case Op::Xor3: r = a ^ b ^ v[p->c]; break;
      case Op::Xnor3: r = ~(a ^ b ^ v[p->c]); break;
      case Op::ClrPre: r = (a & ~b) | v[p->c]; break;
      default: r = 0; break;
    }
    v[p->d] = r;
  }
}

}  // namespace gm::gate
