// udm: the underdesigned multiplier (Kulkarni, Gupta, Ercegovac, VLSI Design 2011).
//
// Structure of the unsigned core, built recursively on operand widths (nx, ny):
//   * nx = ny = 2: the inaccurate 2x2 block, three gates and no adder:
//         p0 = a0 & b0,  p1 = (a1 & b0) | (a0 & b1),  p2 = a1 & b1      (3 x 3 gives 7)
//   * nx, ny <= 2 otherwise (1x1, 1x2, 2x1): AND gates only, exact;
//   * else each operand wider than 2 bits is split into ceil(n/2) low bits and the rest (an operand
//     of <= 2 bits stays whole); the sub-products are placed at their shifts into a column matrix
//     and summed exactly by a Dadda tree and a ripple-carry adder (nx + ny result bits).
// Signed: sign-magnitude (gm::rtl::sign_magnitude_product).
//
// Nets are named by the operand bits they cover: a sub-multiplier of a[ox+nx-1:ox] by
// b[oy+ny-1:oy] is udm<nx>x<ny>_a<ox>_b<oy> (its tree and adder cells carry that prefix), a 2x2
// block's OR output is blk_a<ox>_b<oy>_p1, and a 1-bit product is pp_a<i>_b<j> (core operand bits).
#include "generator/gates/operands.hpp"
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// The 1-bit product of core operand bits a[i] and b[j].
std::string pp_name(int i, int j) { return "pp_a" + std::to_string(i) + "_b" + std::to_string(j); }

// p0 = a0 & b0, p1 = (a1 & b0) | (a0 & b1), p2 = a1 & b1, for the block at a bit ox, b bit oy.
Bits udm_block(Netlist& nl, const Bits& x, const Bits& y, int ox, int oy) {
  const std::string blk = "blk_a" + std::to_string(ox) + "_b" + std::to_string(oy);
  nl.section("2x2 UDM block " + blk + ": p0 = a0 & b0, " + blk + "_p1 = (a1 & b0) | (a0 & b1), p2 = a1 & b1");
  return {nl.and2(x[0], y[0], pp_name(ox, oy)),
          nl.or2(nl.and2(x[1], y[0], pp_name(ox + 1, oy)), nl.and2(x[0], y[1], pp_name(ox, oy + 1)), blk + "_p1"),
          nl.and2(x[1], y[1], pp_name(ox + 1, oy + 1))};
}

// 1-bit by up-to-2-bit product: p_k = x_i & y_j summed, which needs no adder when one side is 1 bit.
Bits small_product(Netlist& nl, const Bits& x, const Bits& y, int ox, int oy) {
  nl.section("1-bit sub-products: pp_a<i>_b<j> = a[i] & b[j]");
  Bits out(x.size() + y.size(), Netlist::zero());
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j)
      out[i + j] = nl.and2(x[i], y[j], pp_name(ox + static_cast<int>(i), oy + static_cast<int>(j)));
  return out;
}

struct Part {
  Bits bits;
  int shift;  // also the part's lowest bit within its parent
};

std::vector<Part> split(const Bits& v) {
  const int n = static_cast<int>(v.size());
  if (n <= 2) return {{v, 0}};
  const int lo = (n + 1) / 2;
  return {{Bits(v.begin(), v.begin() + lo), 0}, {Bits(v.begin() + lo, v.end()), lo}};
}

// x is a[ox+nx-1:ox] and y is b[oy+ny-1:oy] of the core's operands.
Bits udm_multiply(Netlist& nl, const Bits& x, const Bits& y, int ox, int oy) {
  if (x.size() <= 2 && y.size() <= 2)
    return (x.size() == 2 && y.size() == 2) ? udm_block(nl, x, y, ox, oy) : small_product(nl, x, y, ox, oy);
  const int width = static_cast<int>(x.size() + y.size());
  const std::string prefix = "udm" + std::to_string(x.size()) + "x" + std::to_string(y.size()) + "_a" +
                             std::to_string(ox) + "_b" + std::to_string(oy);
  Columns cols(width);
  for (const auto& px : split(x))
    for (const auto& py : split(y)) {
      const Bits p = udm_multiply(nl, px.bits, py.bits, ox + px.shift, oy + py.shift);
      for (size_t k = 0; k < p.size(); ++k) {
        const int col = px.shift + py.shift + static_cast<int>(k);
        if (col < width) cols[col].push_back(p[k]);
      }
    }
  nl.section(prefix + ": exact accumulation of the shifted sub-products");
  return final_adder(nl, reduce(nl, cols, Reduction::kDadda, prefix), prefix);
}

std::string generate_udm(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w;
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed,
                         [&](const Bits& a, const Bits& b) { return udm_multiply(nl, a, b, 0, 0); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar udm_gen("udm", generate_udm);

}  // namespace
}  // namespace gm::rtl
