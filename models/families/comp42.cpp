// comp42:c=C: a partial-product multiplier whose first reduction stage uses the approximate 4:2
// compressor "design 2" of Momeni, Han, Montuschi and Lombardi, "Design and Analysis of
// Approximate Compressors for Multiplication", IEEE Trans. Computers 64(4), 2015.
//
// The compressor (no carry-in, no carry-out; inputs x1..x4, outputs of weight 1 and 2):
//     sum   = ~(x1 ^ x2) | ~(x3 ^ x4)
//     carry = ~(~x1 & ~x2 | ~x3 & ~x4) = (x1 | x2) & (x3 | x4)
// Exact except 0000 -> 1 (+1), 1100 and 0011 -> 1 (-1), 1111 -> 3 (-1): 4 of 16 input patterns.
// The sum is 1 for four zero inputs, so a zero operand does not give a zero product.
// Open implementations disagree on the carry (one reads it as x1 x2 x3 x4); see docs/families/comp42.md.
//
// greenmac's multiplier: the partial-product matrix (unsigned: a_i b_j; signed: modified
// Baugh-Wooley with its two constant ones, models/families/partial_products.hpp). Each column holds its bits in row
// order (row = index j of the b bit, ascending; the Baugh-Wooley constant after the cells). In the
// first reduction stage every column col < c is cut into groups of four consecutive bits, each
// group through one approximate compressor (sum stays in col, carry goes to col + 1); fewer than
// four leftover bits pass through. Everything else, and all later stages, is exact: the product is
// the exact sum of the remaining bits, mod 2^(2w). c = 0 is the exact multiplier.
#include "models/families/partial_products.hpp"

namespace gm {
namespace {

struct CompressorOut {
  int sum, carry;
};

// Momeni design 2 (see the header for the equations).
CompressorOut momeni_design2(int x1, int x2, int x3, int x4) {
  return {(x1 == x2) || (x3 == x4) ? 1 : 0, (x1 | x2) & (x3 | x4)};
}

// The matrix bits of one column in row order (row j ascending), the Baugh-Wooley constant last.
// Returns the number of bits written to `bits` (at most w + 1).
int column_bits(uint64_t a, uint64_t b, int w, bool is_signed, int col, int bits[]) {
  int n = 0;
  for (int j = 0; j < w; ++j) {
    const int i = col - j;
    if (i >= 0 && i < w) bits[n++] = pp_bit(a, b, i, j, w, is_signed);
  }
  if (is_signed && (col == w || col == 2 * w - 1)) bits[n++] = 1;
  return n;
}

int64_t comp42_product(int64_t a, int64_t b, int w, bool is_signed, int c) {
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  uint64_t total = 0;  // exact sum of everything the first stage leaves, mod 2^64
  int bits[64];
  for (int col = 0; col < 2 * w; ++col) {
    const int n = column_bits(ua, ub, w, is_signed, col, bits);
    int k = 0;
    if (col < c)
      for (; k + 4 <= n; k += 4) {
        const auto out = momeni_design2(bits[k], bits[k + 1], bits[k + 2], bits[k + 3]);
        total += static_cast<uint64_t>(out.sum) << col;
        total += static_cast<uint64_t>(out.carry) << (col + 1);
      }
    for (; k < n; ++k) total += static_cast<uint64_t>(bits[k]) << col;
  }
  return wrap(static_cast<int64_t>(total), 2 * w, is_signed);
}

ModelFn make_comp42(const Spec& spec) {
  const int w = spec.w, c = spec.get("c");
  const bool s = spec.is_signed;
  return [w, s, c](int64_t a, int64_t b) { return comp42_product(a, b, w, s, c); };
}

const FamilyRegistrar comp42_family({
    .name = "comp42",
    .summary = "pp matrix whose first reduction stage uses Momeni's approximate 4:2 compressor (design 2) "
               "in the columns below c",
    .reference = "A. Momeni, J. Han, P. Montuschi, F. Lombardi, Design and analysis of approximate "
                 "compressors for multiplication, IEEE Trans. Computers 64(4), 2015",
    .signed_mode = "baugh-wooley",
    .params = {{.key = "c",
                .help = "approximate columns: compressors replace exact reduction in columns 0..c-1",
                .lo = {0, 0},
                .hi = {2, 0},
                .required = true}},
    .check = nullptr,
    .make_model = make_comp42,
    .default_points = {"c=8", "c=16"},
});

}  // namespace
}  // namespace gm
