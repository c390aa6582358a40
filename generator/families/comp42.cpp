// comp42:c=C: partial-product matrix, a first reduction stage with Momeni's approximate 4:2
// compressor (design 2) in the columns below c, then an exact Dadda tree and ripple-carry adder.
//
// Momeni, Han, Montuschi, Lombardi, "Design and Analysis of Approximate Compressors for
// Multiplication", IEEE Trans. Computers 64(4), 2015. Design 2 drops Cin and Cout:
//     sum   = ~(x1 ^ x2) | ~(x3 ^ x4)
//     carry = ~(~x1 & ~x2 | ~x3 & ~x4) = (x1 | x2) & (x3 | x4)
//
// Structure: the AND matrix (modified Baugh-Wooley NAND cells and two constant ones when signed,
// generator/gates/pp_tree). In each column col < c the bits are taken in row order (b bit index
// ascending, Baugh-Wooley constant last) in groups of four; each group feeds one compressor whose
// sum stays in col and whose carry joins col + 1. Leftover bits, the other columns and the
// compressor outputs go to the exact Dadda tree and final adder. Signed: Baugh-Wooley.
#include <algorithm>

#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// Momeni design 2: sum = xnor(x1, x2) | xnor(x3, x4), carry = (x1 | x2) & (x3 | x4). Nets `cell`_s
// and `cell`_c, their terms `cell`_s_x12, _s_x34, _c_o12, _c_o34.
Netlist::SumCarry approx_compressor(Netlist& nl, Net x1, Net x2, Net x3, Net x4, const std::string& cell) {
  return {nl.or2(nl.xnor2(x1, x2, cell + "_s_x12"), nl.xnor2(x3, x4, cell + "_s_x34"), cell + "_s"),
          nl.and2(nl.or2(x1, x2, cell + "_c_o12"), nl.or2(x3, x4, cell + "_c_o34"), cell + "_c")};
}

// The matrix bits by column in row order; the Baugh-Wooley constants (row -1) go last.
Columns row_ordered_columns(std::vector<PPBit> bits, int width) {
  auto row_key = [](const PPBit& b) { return b.row < 0 ? 1 << 20 : b.row; };
  std::stable_sort(bits.begin(), bits.end(), [&](const PPBit& x, const PPBit& y) {
    return x.col != y.col ? x.col < y.col : row_key(x) < row_key(y);
  });
  return to_columns(bits, width);
}

// The first reduction stage: groups of four in columns below c through the approximate compressor.
Columns approximate_stage(Netlist& nl, const Columns& cols, int c) {
  nl.section("approximate 4:2 compressors (Momeni design 2), c42_c<col>_r<n> takes bits 4n..4n+3 of "
             "column col: s = ~(x1 ^ x2) | ~(x3 ^ x4), c = (x1 | x2) & (x3 | x4)");
  const int width = static_cast<int>(cols.size());
  Columns next(width);
  for (int col = 0; col < width; ++col) {
    const auto& bits = cols[col];
    size_t k = 0;
    if (col < c)
      for (; k + 4 <= bits.size(); k += 4) {
        const std::string cell = "c42_c" + std::to_string(col) + "_r" + std::to_string(k / 4);
        const auto sc = approx_compressor(nl, bits[k], bits[k + 1], bits[k + 2], bits[k + 3], cell);
        next[col].push_back(sc.s);
        if (col + 1 < width) next[col + 1].push_back(sc.c);
      }
    next[col].insert(next[col].end(), bits.begin() + static_cast<long>(k), bits.end());
  }
  return next;
}

std::string generate_comp42(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, width = spec.out_width();
  Netlist nl(w, w, width);
  const Columns cols = row_ordered_columns(pp_matrix(nl, w, spec.is_signed), width);
  sum_to_output(nl, approximate_stage(nl, cols, spec.get("c")), Reduction::kDadda);
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar comp42_gen("comp42", generate_comp42);

}  // namespace
}  // namespace gm::rtl
