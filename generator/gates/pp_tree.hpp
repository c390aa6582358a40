// Structural building blocks of AND-array multipliers: the partial-product matrix, its reduction
// (carry-save array, Dadda or Wallace) and the final carry-propagate adder.
//
// The matrix is a list of bits with their column (weight 2^col) and row (the b operand bit they come
// from). Signed matrices use modified Baugh-Wooley: the cells with exactly one sign-position index
// are NAND gates, and constant ones at columns w and 2w-1 complete the sign handling.
#pragma once

#include <functional>
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
// signed. A dropped cell emits no gate. Opens the section "pp".
std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int i, int j)>& keep = nullptr);

// The same matrix over given multiplier bits: b_bits[j] (w nets) stands in for b_i[j]. A constant
// zero there removes row j's AND cells; in a signed matrix its sign-position NAND cell becomes the
// constant one that the Baugh-Wooley identity needs, so the matrix sums to a * b' exactly.
std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int i, int j)>& keep, const std::vector<Net>& b_bits);

Columns to_columns(const std::vector<PPBit>& bits, int width);

// Add a constant's set bits as constant-one entries.
void add_constant(Columns& cols, uint64_t value);

enum class Reduction { kDadda, kWallace };

// Reduce to at most two bits per column with full and half adders; carries beyond `cols.size()`
// columns are dropped (the product is taken mod 2^width).
Columns reduce(Netlist& nl, Columns cols, Reduction how);

// Carry-save array: rows are accumulated one after another, as in a classic array multiplier.
Columns reduce_rows(Netlist& nl, const std::vector<PPBit>& bits, int width);

// Ripple-carry final adder over a matrix with at most two bits per column (more are reduced first).
std::vector<Net> final_adder(Netlist& nl, const Columns& cols);

// The usual tail: reduce, add and drive y_o.
void sum_to_output(Netlist& nl, const Columns& cols, Reduction how);

}  // namespace gm::rtl
