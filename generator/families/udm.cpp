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
#include "generator/gates/operands.hpp"
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// p0 = a0 & b0, p1 = (a1 & b0) | (a0 & b1), p2 = a1 & b1
Bits udm_block(Netlist& nl, const Bits& x, const Bits& y) {
  nl.section("blk", "2x2 UDM block: p0 = a0 & b0, p1 = (a1 & b0) | (a0 & b1), p2 = a1 & b1");
  return {nl.and2(x[0], y[0]), nl.or2(nl.and2(x[1], y[0]), nl.and2(x[0], y[1])), nl.and2(x[1], y[1])};
}

// 1-bit by up-to-2-bit product: p_k = x_i & y_j summed, which needs no adder when one side is 1 bit.
Bits small_product(Netlist& nl, const Bits& x, const Bits& y) {
  nl.section("and", "1-bit sub-products: p[i + j] = x[i] & y[j]");
  Bits out(x.size() + y.size(), Netlist::zero());
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j) out[i + j] = nl.and2(x[i], y[j]);
  return out;
}

struct Part {
  Bits bits;
  int shift;
};

std::vector<Part> split(const Bits& v) {
  const int n = static_cast<int>(v.size());
  if (n <= 2) return {{v, 0}};
  const int lo = (n + 1) / 2;
  return {{Bits(v.begin(), v.begin() + lo), 0}, {Bits(v.begin() + lo, v.end()), lo}};
}

Bits udm_multiply(Netlist& nl, const Bits& x, const Bits& y) {
  if (x.size() <= 2 && y.size() <= 2)
    return (x.size() == 2 && y.size() == 2) ? udm_block(nl, x, y) : small_product(nl, x, y);
  const int width = static_cast<int>(x.size() + y.size());
  Columns cols(width);
  for (const auto& px : split(x))
    for (const auto& py : split(y)) {
      const Bits p = udm_multiply(nl, px.bits, py.bits);
      for (size_t k = 0; k < p.size(); ++k) {
        const int col = px.shift + py.shift + static_cast<int>(k);
        if (col < width) cols[col].push_back(p[k]);
      }
    }
  nl.section("acc", "exact accumulation of the shifted sub-products");
  return final_adder(nl, reduce(nl, cols, Reduction::kDadda));
}

std::string generate_udm(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w;
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed,
                         [&](const Bits& a, const Bits& b) { return udm_multiply(nl, a, b); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar udm_gen("udm", generate_udm);

}  // namespace
}  // namespace gm::rtl
