// bam:h=H,v=V[,z=1]: broken-array multiplier, Mahdiani et al., TCAS-I 2010 (definition in models/families/bam.cpp).
//
// Structure: the classic carry-save array (one row of full adders per partial-product row,
// reduce_rows) over the matrix without the broken-off cells: rows j < h (above the horizontal break
// level) and cells with i + j < v (right of the vertical break level) are never built, and neither
// are the adder cells they would feed; then the final ripple-carry adder. Signed: modified
// Baugh-Wooley matrix with its two constant ones; with z=1 (zero-safe) the constant is the one the
// kept NAND cells need (pp_matrix_zero_safe), so the omitted NAND cells take theirs with them.
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

std::string generate_bam(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, width = spec.out_width(), h = spec.get("h"), v = spec.get("v");
  Netlist nl(w, w, width);
  // Cell (i, j) survives when it lies on or below the horizontal break and on or left of the vertical one.
  const auto below_breaks = [h, v](int i, int j) { return j >= h && i + j >= v; };
  const std::vector<PPBit> matrix =
      spec.get("z") ? pp_matrix_zero_safe(nl, w, below_breaks) : pp_matrix(nl, w, spec.is_signed, below_breaks);
  nl.set_outputs(final_adder(nl, reduce_rows(nl, matrix, width)));
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar bam_gen("bam", generate_bam);

}  // namespace
}  // namespace gm::rtl
