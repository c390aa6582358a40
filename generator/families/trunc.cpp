// trunc:t=T,comp=0|1[,z=1]: truncated multiplier (definition in models/families/trunc.cpp).
//
// Structure: the partial-product matrix (unsigned AND cells; signed modified Baugh-Wooley with its
// two constant ones) without the cells of columns below t, so those gates are never built (with
// z=1, zero-safe, the constant is the one the kept NAND cells need: pp_matrix_zero_safe); with
// comp=1 the correction constant's set bits enter the matrix as constant ones; Dadda tree; final
// ripple-carry adder. The constant ones fold into the adder cells they meet (a full adder with a one
// becomes s = ~(x ^ y), c = x | y).
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// Expected value of the columns below t, rounded half up. Column c holds min(c, 2w-2-c)+1 cells;
// with uniform, independent operand bits an AND cell is 1 with probability 1/4 and a Baugh-Wooley
// NAND cell (one index at the sign position) with probability 3/4. Accumulated in quarters so that
// the rounding is exact.
uint64_t dropped_columns_mean(int w, bool is_signed, int t) {
  uint64_t quarters = 0;
  for (int col = 0; col < t && col <= 2 * w - 2; ++col) {
    const int first_i = col < w ? 0 : col - (w - 1);
    const int last_i = col < w ? col : w - 1;
    const int cells = last_i - first_i + 1;
    // The NAND cells of a column: (w-1, col-w+1) and (col-w+1, w-1), both present when
    // w-1 <= col <= 2w-3 (one cell when col = 2w-2 is the AND cell (w-1, w-1)).
    const int nand_cells = is_signed && col >= w - 1 && col <= 2 * w - 3 ? 2 : 0;
    quarters += static_cast<uint64_t>(cells - nand_cells + 3 * nand_cells) << col;
  }
  return (quarters + 2) / 4;  // round half up
}

std::string generate_trunc(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, width = spec.out_width(), t = spec.get("t");
  Netlist nl(w, w, width);
  const auto kept = [t](int i, int j) { return i + j >= t; };
  Columns cols = to_columns(spec.get("z") ? pp_matrix_zero_safe(nl, w, kept) : pp_matrix(nl, w, spec.is_signed, kept),
                            width);
  if (spec.get("comp")) {
    const uint64_t mask = (uint64_t{1} << width) - 1;
    add_constant(cols, dropped_columns_mean(w, spec.is_signed, t) & mask);
  }
  sum_to_output(nl, cols, Reduction::kDadda);
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar trunc_gen("trunc", generate_trunc);

}  // namespace
}  // namespace gm::rtl
