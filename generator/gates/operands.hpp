// Operand-level building blocks shared by the families that transform their operands before
// multiplying (drum, mitchell, roba, etm, udm): sign-magnitude wrapping and an exact unsigned
// multiplier of two arbitrary bit vectors.
#pragma once

#include <vector>

#include "generator/gates/netlist.hpp"

namespace gm::rtl {

using Bits = std::vector<Net>;  // little-endian

Bits port_a(Netlist& nl, int w);
Bits port_b(Netlist& nl, int w);

// |x| of a w-bit two's-complement vector as a w-bit unsigned vector (|-2^(w-1)| = 2^(w-1) fits):
// m = (x ^ {w{sign}}) + sign. Nets `name`_flip<i> and the incrementer cells `name`_c<i>.
Bits magnitude(Netlist& nl, const Bits& x, const std::string& name);

// Two's-complement negation when `neg` is 1: (m ^ {neg}) + neg, `width` result bits. Nets as in
// magnitude().
Bits negate_if(Netlist& nl, const Bits& m, Net neg, int width, const std::string& name);

// Sign-magnitude wrapper: for a signed spec, feeds |a| and |b| to `core` and negates the core's
// result when the operand signs differ; for an unsigned spec, feeds the ports straight through.
// `core` returns the unsigned product bits (any length; bits past 2w are dropped). Drives y_o.
// Nets: sign_y (the product's sign), abs_a and abs_b (magnitude()), neg_y (negate_if()).
template <class Core>
void sign_magnitude_product(Netlist& nl, int w, bool is_signed, Core core) {
  Bits a = port_a(nl, w), b = port_b(nl, w);
  if (!is_signed) {
    nl.set_outputs(core(a, b));
    return;
  }
  nl.section("product sign: sign_y = a_i[w-1] ^ b_i[w-1]");
  const Net neg = nl.xor2(a[w - 1], b[w - 1], "sign_y");
  const Bits ma = magnitude(nl, a, "abs_a");
  const Bits mb = magnitude(nl, b, "abs_b");
  const Bits m = core(ma, mb);
  nl.set_outputs(negate_if(nl, m, neg, 2 * w, "neg_y"));
}

// Exact unsigned product of two vectors: AND matrix (`prefix`_pp_x<i>_y<j> = x[i] & y[j]), Dadda
// tree, ripple-carry adder (cells named as in pp_tree.hpp, after `prefix`), `width` bits.
Bits multiply_unsigned(Netlist& nl, const Bits& x, const Bits& y, int width, const std::string& prefix);

}  // namespace gm::rtl
