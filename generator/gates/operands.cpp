#include "generator/gates/operands.hpp"

#include "generator/gates/pp_tree.hpp"

namespace gm::rtl {

Bits port_a(Netlist& nl, int w) {
  Bits out;
  for (int i = 0; i < w; ++i) out.push_back(nl.a(i));
  return out;
}

Bits port_b(Netlist& nl, int w) {
  Bits out;
  for (int i = 0; i < w; ++i) out.push_back(nl.b(i));
  return out;
}

Bits magnitude(Netlist& nl, const Bits& x, const std::string& bank) {
  return negate_if(nl, x, x.back(), static_cast<int>(x.size()), bank);
}

Bits negate_if(Netlist& nl, const Bits& m, Net neg, int width, const std::string& bank) {
  nl.section(bank, "conditional negation: (m ^ neg) + neg");
  Bits flipped;
  for (int i = 0; i < width; ++i) flipped.push_back(nl.xor2(i < static_cast<int>(m.size()) ? m[i] : Netlist::zero(), neg));
  return nl.add(flipped, {}, neg, width);
}

Bits multiply_unsigned(Netlist& nl, const Bits& x, const Bits& y, int width, const std::string& bank) {
  nl.section(bank, "exact sub-multiplier: AND partial products");
  Columns cols(width);
  for (size_t j = 0; j < y.size(); ++j)
    for (size_t i = 0; i < x.size(); ++i)
      if (i + j < static_cast<size_t>(width)) cols[i + j].push_back(nl.and2(x[i], y[j]));
  return final_adder(nl, reduce(nl, cols, Reduction::kDadda));
}

}  // namespace gm::rtl
