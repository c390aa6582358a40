#include "generator/gates/pp_tree.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace gm::rtl {

namespace {

// The kept cells (i, j) of the matrix over multiplier bits b_bits, under the section comment given;
// no constants.
std::vector<PPBit> pp_cells(Netlist& nl, int w, bool is_signed, const std::function<bool(int, int)>& keep,
                            const std::vector<Net>& b_bits, const std::string& comment) {
  if (static_cast<int>(b_bits.size()) != w) throw std::logic_error("pp_matrix: b_bits must hold w nets");
  nl.section(comment);
  std::vector<PPBit> bits;
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i) {
      if (keep && !keep(i, j)) continue;
      const bool invert = is_signed && ((i == w - 1) != (j == w - 1));
      const std::string name = "pp_a" + std::to_string(i) + "_b" + std::to_string(j);
      const Net n = invert ? nl.nand2(nl.a(i), b_bits[j], name) : nl.and2(nl.a(i), b_bits[j], name);
      bits.push_back({i + j, j, n});
    }
  return bits;
}

std::vector<Net> b_inputs(Netlist& nl, int w) {
  std::vector<Net> b_bits;
  for (int j = 0; j < w; ++j) b_bits.push_back(nl.b(j));
  return b_bits;
}

const char* const kBaughWooleyCells =
    "partial products, modified Baugh-Wooley: pp_a<i>_b<j> = a_i[i] & b_i[j], NAND where exactly one index is "
    "the sign bit";

}  // namespace

std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int, int)>& keep) {
  return pp_matrix(nl, w, is_signed, keep, b_inputs(nl, w));
}

std::vector<PPBit> pp_matrix(Netlist& nl, int w, bool is_signed,
                             const std::function<bool(int, int)>& keep, const std::vector<Net>& b_bits) {
  const std::string comment = is_signed ? kBaughWooleyCells : "partial products: pp_a<i>_b<j> = a_i[i] & b_i[j]";
  std::vector<PPBit> bits = pp_cells(nl, w, is_signed, keep, b_bits, comment);
  if (is_signed) {
    bits.push_back({w, -1, Netlist::one()});
    bits.push_back({2 * w - 1, -1, Netlist::one()});
  }
  return bits;
}

std::vector<PPBit> pp_matrix_zero_safe(Netlist& nl, int w, const std::function<bool(int, int)>& keep) {
  // The NAND cells are (w-1, k) and (k, w-1) for k < w-1, both of weight 2^(w-1+k).
  uint64_t kept_nand_weight = 0;
  for (int k = 0; k < w - 1; ++k) {
    if (!keep || keep(w - 1, k)) kept_nand_weight += uint64_t{1} << (w - 1 + k);
    if (!keep || keep(k, w - 1)) kept_nand_weight += uint64_t{1} << (w - 1 + k);
  }
  const uint64_t word = (uint64_t{1} << (2 * w)) - 1;
  const uint64_t constant = (~kept_nand_weight + 1) & word;  // -kept_nand_weight mod 2^(2w)
  std::vector<PPBit> bits =
      pp_cells(nl, w, true, keep, b_inputs(nl, w),
               std::string(kBaughWooleyCells) + "; zero-safe: the constant ones are " + std::to_string(constant) +
                   " = -(weights of the kept NAND cells) mod 2^" + std::to_string(2 * w) +
                   ", since ~x = 1 - x, so a zero operand gives zero");
  for (int col = 0; col < 2 * w; ++col)
    if ((constant >> col) & 1) bits.push_back({col, -1, Netlist::one()});
  return bits;
}

Columns to_columns(const std::vector<PPBit>& bits, int width) {
  Columns cols(width);
  for (const auto& b : bits)
    if (b.col < width) cols[b.col].push_back(b.net);
  return cols;
}

void add_constant(Columns& cols, uint64_t value) {
  for (size_t c = 0; c < cols.size() && c < 64; ++c)
    if ((value >> c) & 1) cols[c].push_back(Netlist::one());
}

namespace {

// `prefix`_<kind>_c<col>_r<row>, with _k<n> for the n-th cell of the column in that row or stage.
std::string cell_name(const std::string& prefix, const char* kind, size_t col, const std::string& row, int k) {
  return join_name(prefix, std::string(kind) + "_c" + std::to_string(col) + "_r" + row +
                               (k < 0 ? "" : "_k" + std::to_string(k)));
}

const char* const kCells = "full adders s = x ^ y ^ z, c = maj(x, y, z); half adders s = x ^ y, c = x & y";

std::string stage_comment(const std::string& prefix, const std::string& what) {
  return (prefix.empty() ? "" : prefix + ": ") + what + "; " + kCells;
}

// Drop constant zeros; they add nothing and would cost adder cells.
void prune(Columns& cols) {
  for (auto& col : cols)
    col.erase(std::remove_if(col.begin(), col.end(), [](Net n) { return n.is_zero(); }), col.end());
}

size_t max_height(const Columns& cols) {
  size_t h = 0;
  for (const auto& c : cols) h = std::max(h, c.size());
  return h;
}

// One Dadda stage: bring every column down to at most `target` bits, counting the carries that
// the previous column of this stage sends in.
Columns dadda_stage(Netlist& nl, const Columns& cols, size_t target, int stage, const std::string& prefix) {
  nl.section(stage_comment(prefix, "Dadda stage r" + std::to_string(stage) + ": every column down to " +
                                       std::to_string(target) + " bits"));
  const std::string row = std::to_string(stage);
  Columns next(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    std::vector<Net> bits = cols[c];
    size_t pos = 0;
    int k = 0;
    auto height = [&] { return bits.size() - pos + next[c].size(); };
    while (height() > target && bits.size() - pos >= 2) {
      Netlist::SumCarry sc;
      if (height() - target >= 2 && bits.size() - pos >= 3) {
        sc = nl.full_adder(bits[pos], bits[pos + 1], bits[pos + 2], cell_name(prefix, "fa", c, row, k++));
        pos += 3;
      } else {
        sc = nl.half_adder(bits[pos], bits[pos + 1], cell_name(prefix, "ha", c, row, k++));
        pos += 2;
      }
      next[c].push_back(sc.s);
      if (c + 1 < cols.size()) next[c + 1].push_back(sc.c);
    }
    next[c].insert(next[c].end(), bits.begin() + static_cast<long>(pos), bits.end());
  }
  prune(next);
  return next;
}

// One Wallace stage: every group of three bits in a column goes through a full adder and a
// remaining pair through a half adder, all columns at once.
Columns wallace_stage(Netlist& nl, const Columns& cols, int stage, const std::string& prefix) {
  nl.section(stage_comment(prefix, "Wallace stage r" + std::to_string(stage) +
                                       ": every group of three bits in a column, then a remaining pair"));
  const std::string row = std::to_string(stage);
  Columns next(cols.size());
  for (size_t c = 0; c < cols.size(); ++c) {
    const auto& bits = cols[c];
    size_t pos = 0;
    int k = 0;
    for (; pos + 3 <= bits.size(); pos += 3) {
      const auto sc = nl.full_adder(bits[pos], bits[pos + 1], bits[pos + 2], cell_name(prefix, "fa", c, row, k++));
      next[c].push_back(sc.s);
      if (c + 1 < cols.size()) next[c + 1].push_back(sc.c);
    }
    if (bits.size() - pos == 2 && bits.size() > 2) {
      const auto sc = nl.half_adder(bits[pos], bits[pos + 1], cell_name(prefix, "ha", c, row, k++));
      next[c].push_back(sc.s);
      if (c + 1 < cols.size()) next[c + 1].push_back(sc.c);
      pos += 2;
    }
    for (; pos < bits.size(); ++pos) next[c].push_back(bits[pos]);
  }
  prune(next);
  return next;
}

}  // namespace

Columns reduce(Netlist& nl, Columns cols, Reduction how, const std::string& prefix) {
  prune(cols);
  int stage = 0;
  if (how == Reduction::kWallace) {
    while (max_height(cols) > 2) cols = wallace_stage(nl, cols, ++stage, prefix);
    return cols;
  }
  // Dadda's height sequence 2, 3, 4, 6, 9, 13, ...: each stage targets the next lower one.
  std::vector<size_t> heights = {2};
  while (heights.back() < max_height(cols)) heights.push_back(heights.back() * 3 / 2);
  for (int k = static_cast<int>(heights.size()) - 2; k >= 0; --k)
    cols = dadda_stage(nl, cols, heights[k], ++stage, prefix);
  return cols;
}

Columns reduce_rows(Netlist& nl, const std::vector<PPBit>& bits, int width) {
  std::map<int, std::vector<PPBit>> rows;
  for (const auto& b : bits) rows[b.row].push_back(b);
  Columns acc(width);
  for (const auto& [row, row_bits] : rows) {
    // Row -1 holds the Baugh-Wooley constants.
    const std::string label = row < 0 ? "const" : std::to_string(row);
    nl.section("carry-save array, row r" + label + ": full adders s = x ^ y ^ z, c = maj(x, y, z)");
    for (const auto& b : row_bits)
      if (b.col < width) acc[b.col].push_back(b.net);
    prune(acc);
    Columns next(width);
    for (int c = 0; c < width; ++c) {
      const auto& col = acc[c];
      size_t pos = 0;
      // One cell per column and row (the accumulator holds at most two bits per column between
      // rows); a further one would be named _k1, _k2, ...
      for (int n = 0; col.size() - pos >= 3; pos += 3, ++n) {
        const auto sc = nl.full_adder(col[pos], col[pos + 1], col[pos + 2], cell_name("", "fa", c, label, n ? n : -1));
        next[c].push_back(sc.s);
        if (c + 1 < width) next[c + 1].push_back(sc.c);
      }
      next[c].insert(next[c].end(), col.begin() + static_cast<long>(pos), col.end());
    }
    acc = next;
  }
  prune(acc);
  return acc;
}

std::vector<Net> final_adder(Netlist& nl, const Columns& cols_in, const std::string& prefix) {
  Columns cols = cols_in;
  prune(cols);
  if (max_height(cols) > 2) cols = reduce(nl, cols, Reduction::kDadda, prefix);
  nl.section((prefix.empty() ? "" : prefix + ": ") +
             std::string("final ripple-carry adder: cpa_c<col>_s = x ^ y ^ c, cpa_c<col>_c = maj(x, y, c)"));
  std::vector<Net> x, y;
  for (const auto& col : cols) {
    x.push_back(col.size() > 0 ? col[0] : Netlist::zero());
    y.push_back(col.size() > 1 ? col[1] : Netlist::zero());
  }
  return nl.add(x, y, Netlist::zero(), static_cast<int>(cols.size()), join_name(prefix, "cpa"));
}

void sum_to_output(Netlist& nl, const Columns& cols, Reduction how) {
  nl.set_outputs(final_adder(nl, reduce(nl, cols, how)));
}

}  // namespace gm::rtl
