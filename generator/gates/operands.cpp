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

Bits magnitude(Netlist& nl, const Bits& x, const std::string& name) {
  return negate_if(nl, x, x.back(), static_cast<int>(x.size()), name);
}

Bits negate_if(Netlist& nl, const Bits& m, Net neg, int width, const std::string& name) {
  nl.section(name + ": conditional negation, " + name + "_flip<i> = m[i] ^ neg, then + neg (cells " + name +
             "_c<i>)");
  Bits flipped;
  for (int i = 0; i < width; ++i)
    flipped.push_back(
        nl.xor2(i < static_cast<int>(m.size()) ? m[i] : Netlist::zero(), neg, name + "_flip" + std::to_string(i)));
  return nl.add(flipped, {}, neg, width, name);
}

Bits multiply_unsigned(Netlist& nl, const Bits& x, const Bits& y, int width, const std::string& prefix) {
  nl.section(prefix + ": exact sub-multiplier, " + prefix + "_pp_x<i>_y<j> = x[i] & y[j]");
  Columns cols(width);
  for (size_t j = 0; j < y.size(); ++j)
    for (size_t i = 0; i < x.size(); ++i)
      if (i + j < static_cast<size_t>(width))
        cols[i + j].push_back(
            nl.and2(x[i], y[j], prefix + "_pp_x" + std::to_string(i) + "_y" + std::to_string(j)));
  return final_adder(nl, reduce(nl, cols, Reduction::kDadda, prefix), prefix);
}

}  // namespace gm::rtl
