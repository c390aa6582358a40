// trunc:t=T,comp=0|1[,z=1]: the truncated multiplier. Every partial-product cell (i, j) of weight
// 2^(i+j) < 2^t is dropped:
//
//     P = sum_(i+j >= t) cell(i, j) 2^(i+j)  [+ C when comp=1]  [+ 2^w + 2^(2w-1) when signed]  mod 2^(2w)
//
// cell(i, j) = a_i & b_j; signed operands use the modified Baugh-Wooley matrix of
// models/families/partial_products.hpp (cells with exactly one sign-position index inverted), whose two constant
// ones belong to the sign handling and are always kept.
//
// Constant correction (comp=1, as in the "constant-correction truncated multiplier" of Schulte and
// Swartzlander, 1993): C is the expected value of the dropped cells over uniform, independent
// operand bits, rounded half up. A plain cell is 1 with probability 1/4, an inverted Baugh-Wooley
// cell with probability 3/4, so
//
//     C = round_half_up( sum_(i+j < t) p(i, j) 2^(i+j) ),  p = 1/4 or 3/4.
//
// This brings the mean error (bias) closest to zero. t = 0 is the exact multiplier; t = 2w drops
// the whole matrix.
//
// Zero-safe variant (z=1, signed only, not with comp=1): the cells are dropped from the
// two's-complement product instead, each cell being the signed term sigma_i sigma_j a_i b_j 2^(i+j)
// (sigma = -1 at the sign position):
//
//     P = sum_(i+j >= t) sigma_i sigma_j a_i b_j 2^(i+j)   mod 2^(2w)
//
// Every term holds a_i b_j, so x*0 = 0*x = 0 for every x (issue 14: with the constants kept, t >= w
// gives x*0 = -256 at w = 8 and the shipped CNN falls to about 10 %). comp=1 adds a non-zero
// constant to every product, which is exactly what z=1 rules out, so the two are refused together.
#include <cstdint>
#include <string>

#include "models/families/partial_products.hpp"

namespace gm {
namespace {

// Four times the expected value of the dropped cells: each plain cell counts 1 quarter, each
// inverted Baugh-Wooley cell 3 quarters, at its weight.
uint64_t dropped_mean_in_quarters(int w, bool is_signed, int t) {
  uint64_t quarters = 0;
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i) {
      if (i + j >= t) continue;
      const bool inverted = is_signed && ((i == w - 1) != (j == w - 1));
      quarters += static_cast<uint64_t>(inverted ? 3 : 1) << (i + j);
    }
  return quarters;
}

// round_half_up(q / 4) = floor((q + 2) / 4).
uint64_t correction_constant(int w, bool is_signed, int t) {
  return (dropped_mean_in_quarters(w, is_signed, t) + 2) / 4;
}

ModelFn truncated_product(const Spec& spec) {
  const int w = spec.w, t = spec.get("t");
  const bool s = spec.is_signed;
  const auto kept = [t](int i, int j) { return i + j >= t; };
  if (spec.get("z")) return [w, kept](int64_t a, int64_t b) { return signed_term_sum(a, b, w, kept); };
  const uint64_t c = spec.get("comp") ? correction_constant(w, s, t) : 0;
  return [w, s, kept, c](int64_t a, int64_t b) {
    return wrap(pp_sum(a, b, w, s, kept) + static_cast<int64_t>(c), 2 * w, s);
  };
}

std::string trunc_problem(const Spec& spec) {
  if (spec.get("z") && spec.get("comp"))
    return "z=1 and comp=1 exclude each other: comp adds a constant to every product, so x*0 = 0 would fail "
           "again; drop one of them";
  return zero_safe_problem(spec);
}

const FamilyRegistrar trunc_family({
    .name = "trunc",
    .summary = "truncated multiplier: partial-product cells of weight below 2^t dropped, optional constant "
               "correction",
    .reference = "truncated array multiplier; constant correction: Schulte and Swartzlander, 1993",
    .signed_mode = "baugh-wooley (inverted cells dropped like any other; the two constants kept)",
    .params = {{.key = "t",
                .help = "drop every partial-product cell a_i b_j with i + j < t (0: exact)",
                .lo = {0, 0},
                .hi = {2, 0},
                .required = true},
               {.key = "comp",
                .help = "1: add the rounded expected value of the dropped cells (bias near zero)",
                .lo = {0, 0},
                .hi = {0, 1},
                .def = {0, 0}},
               {.key = "z", .help = kZeroSafeHelp, .lo = {0, 0}, .hi = {0, 1}, .def = {0, 0}, .only_when_set = true}},
    .check = trunc_problem,
    .make_model = truncated_product,
    .default_points = {"t=6", "t=8", "t=8,comp=1"},
});

}  // namespace
}  // namespace gm
