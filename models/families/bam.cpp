// bam:h=H,v=V[,z=1]: the broken-array multiplier of Mahdiani, Ahmadi, Fakhraie and Lucas, "Bio-Inspired
// Imprecise Computational Blocks for Efficient VLSI Implementation of Soft-Computing Applications",
// IEEE TCAS-I 57(4), 2010.
//
// In a carry-save array multiplier the carry-save cells above the horizontal break level (rows
// j < h) and right of the vertical break level (columns i + j < v) are omitted:
//
//     P = sum_(j >= h, i + j >= v) cell(i, j) 2^(i+j)  [+ 2^w + 2^(2w-1) when signed]  mod 2^(2w)
//
// cell(i, j) = a_i & b_j; signed operands use the modified Baugh-Wooley matrix of
// models/families/partial_products.hpp (cells with exactly one sign-position index inverted, two constant ones that
// belong to the sign handling and are always kept). h = v = 0 is the exact multiplier; h = 0, v = t
// is the truncated multiplier trunc:t=T.
//
// Zero-safe variant (z=1, signed only): the omitted cells are omitted from the two's-complement
// product instead, each cell being the signed term sigma_i sigma_j a_i b_j 2^(i+j) (sigma = -1 at
// the sign position):
//
//     P = sum_(j >= h, i + j >= v) sigma_i sigma_j a_i b_j 2^(i+j)   mod 2^(2w)
//
// Every term holds a_i b_j, so x*0 = 0*x = 0 for every x (issue 14: with the constants kept, h >= 1
// gives x*0 = -128 or worse, and the shipped CNN falls to about 10 %).
#include "models/families/partial_products.hpp"

namespace gm {
namespace {

ModelFn broken_array_product(const Spec& spec) {
  const int w = spec.w, h = spec.get("h"), v = spec.get("v");
  const bool s = spec.is_signed;
  const auto kept = [h, v](int i, int j) { return j >= h && i + j >= v; };
  if (spec.get("z")) return [w, kept](int64_t a, int64_t b) { return signed_term_sum(a, b, w, kept); };
  return [w, s, kept](int64_t a, int64_t b) { return pp_sum(a, b, w, s, kept); };
}

const FamilyRegistrar bam_family({
    .name = "bam",
    .summary = "broken-array multiplier: carry-save array without the rows above h and the cells right of v",
    .reference = "Mahdiani, Ahmadi, Fakhraie, Lucas, IEEE TCAS-I 57(4), 2010",
    .signed_mode = "baugh-wooley (inverted cells omitted like any other; the two constants kept)",
    .params = {{.key = "h",
                .help = "horizontal break level: partial-product rows b_j with j < h omitted",
                .lo = {0, 0},
                .hi = {1, 0},
                .required = true},
               {.key = "v",
                .help = "vertical break level: cells a_i b_j with i + j < v omitted",
                .lo = {0, 0},
                .hi = {2, 0},
                .required = true},
               {.key = "z", .help = kZeroSafeHelp, .lo = {0, 0}, .hi = {0, 1}, .def = {0, 0}, .only_when_set = true}},
    .check = zero_safe_problem,
    .make_model = broken_array_product,
    .default_points = {"h=2,v=6", "h=0,v=8"},
});

}  // namespace
}  // namespace gm
