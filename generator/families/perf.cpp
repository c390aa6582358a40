// perf:j=J,m=M: partial-product perforation, Zervakis et al., TVLSI 2016 (definition in
// models/families/perf.cpp).
//
// Structure: the partial-product matrix built over b' = b with bits j .. j+m-1 tied to 0, so the
// perforated rows' AND cells fold away. In a signed (modified Baugh-Wooley) matrix each perforated
// row j < w-1 keeps its sign-position cell ~(a[w-1] & 0) = 1 (weight 2^(w-1+j)); that is what makes
// the matrix sum to a * b' in two's complement. Those constant ones and the two Baugh-Wooley
// constants are merged into one constant word, so they cost one set of constant bits instead of a
// one per row. Dadda tree, final ripple-carry adder.
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

// b'[k] = 0 for the perforated rows j <= k < j+m, else b_i[k].
std::vector<Net> perforated_multiplier(const Netlist& nl, int w, int j, int m) {
  std::vector<Net> bits;
  for (int k = 0; k < w; ++k) bits.push_back(k >= j && k < j + m ? Netlist::zero() : nl.b(k));
  return bits;
}

// Columns of the non-constant cells, plus the sum of all constant-one cells (mod 2^width) as one
// constant.
Columns merge_constant_cells(const std::vector<PPBit>& bits, int width) {
  std::vector<PPBit> logic;
  uint64_t constant = 0;
  for (const auto& b : bits) {
    if (b.net.is_zero()) continue;
    if (b.net.is_one())
      constant += uint64_t{1} << b.col;
    else
      logic.push_back(b);
  }
  Columns cols = to_columns(logic, width);
  add_constant(cols, constant & ((uint64_t{1} << width) - 1));
  return cols;
}

std::string generate_perf(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, width = spec.out_width();
  Netlist nl(w, w, width);
  const auto b_bits = perforated_multiplier(nl, w, spec.get("j"), spec.get("m"));
  const auto bits = pp_matrix(nl, w, spec.is_signed, nullptr, b_bits);
  sum_to_output(nl, merge_constant_cells(bits, width), Reduction::kDadda);
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar perf_gen("perf", generate_perf);

}  // namespace
}  // namespace gm::rtl
