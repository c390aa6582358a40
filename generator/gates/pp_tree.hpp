// Structural building blocks of AND-array multipliers: the partial-product matrix, its reduction
// (carry-save array, Dadda or Wallace) and the final carry-propagate adder.
//
// The matrix is a list of bits with their column (weight 2^col) and row (the b operand bit they come
// from). Signed matrices use modified Baugh-Wooley: the cells with exactly one sign-position index
// are NAND gates, and constant ones at columns w and 2w-1 complete the sign handling.
//
// Net names say where a net sits (the rules of netlist.hpp); `prefix` (empty at the top level)
// tells nested builders apart:
//   pp_a<i>_b<j>                    partial product a_i[i] & b_i[j] (column i + j, row j)
//   fa_c<col>_r<row>_k<n>_s / _c    Dadda or Wallace tree: the n-th cell (0 = lowest bits) of
//   ha_c<col>_r<row>_k<n>_s / _c    column col in stage (row) r = 1, 2, ...
//   fa_c<col>_r<row>_s / _c         carry-save array: the cell of column col that adds row j
//   cpa_c<col>_s / _c               the final ripple-carry adder's cell of column col
// A cell with a constant-one input folds: a half adder x + 1 leaves s = ~x and passes x itself on
// as its carry, so that net is also read one column up from the one its name gives.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "generator/gates/netlist.hpp"

namespace gm::rtl {

struct PPBit {
  int col;
  int row;
  Net net;
};
using Columns = std::vector<std::vector<Net>>;  // bits by column, least significant first

// Partial-product cells (i, j) for which keep(i, j) holds, plus the Baugh-Wooley constants when
// signed. A dropped cell emits no gate. Opens the partial-products section; cells pp_a<i>_b<j>.
std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int i, int j)>& keep = nullptr);

// The same matrix over given multiplier bits: b_bits[j] (w nets) stands in for b_i[j]. A constant
// zero there removes row j's AND cells; in a signed matrix its sign-position NAND cell becomes the
// constant one that the Baugh-Wooley identity needs, so the matrix sums to a * b' exactly.
std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int i, int j)>& keep, const std::vector<Net>& b_bits);

// The signed matrix in its zero-safe form (bam and trunc with z=1): only the kept cells, and the
// constant that the kept NAND cells need. A NAND cell ~(a_i b_j) = 1 - a_i b_j brings the constant
// -2^(i+j) with it; over all 2(w-1) NAND cells these add up to the usual 2^w + 2^(2w-1) (mod 2^(2w)).
// Here only the built NAND cells bring theirs: the constant entries (row -1) are
// -sum(weights of the kept NAND cells) mod 2^(2w), so a dropped NAND cell takes its constant with it
// and a zero operand gives zero. With every NAND cell kept this is pp_matrix(nl, w, true, keep).
std::vector<PPBit> pp_matrix_zero_safe(Netlist& nl, int w, const std::function<bool(int i, int j)>& keep);

Columns to_columns(const std::vector<PPBit>& bits, int width);

// Add a constant's set bits as constant-one entries.
void add_constant(Columns& cols, uint64_t value);

enum class Reduction { kDadda, kWallace };

// Reduce to at most two bits per column with full and half adders; carries beyond `cols.size()`
// columns are dropped (the product is taken mod 2^width). Cells `prefix`_fa_c<col>_r<stage>_k<n>.
Columns reduce(Netlist& nl, Columns cols, Reduction how, const std::string& prefix = "");

// Carry-save array: rows are accumulated one after another, as in a classic array multiplier.
// Cells fa_c<col>_r<row>.
Columns reduce_rows(Netlist& nl, const std::vector<PPBit>& bits, int width);

// Ripple-carry final adder over a matrix with at most two bits per column (more are reduced first).
// Cells `prefix`_cpa_c<col>.
std::vector<Net> final_adder(Netlist& nl, const Columns& cols, const std::string& prefix = "");

// The usual tail: reduce, add and drive y_o.
void sum_to_output(Netlist& nl, const Columns& cols, Reduction how);

}  // namespace gm::rtl
