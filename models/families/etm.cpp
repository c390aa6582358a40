// etm:l=L: the error-tolerant multiplier of Kyaw, Goh and Yeo, "Low-power high-speed multiplier
// for error-tolerant application", EDSSC 2010.
//
// Definition. Split each operand at bit l: aH = a >> l, aL = a mod 2^l (likewise b).
//   * aH = 0 and bH = 0: P = aL * bL, exact (the multiplication part is reused for the low bits).
//   * otherwise: P = (aH * bH) * 2^(2l) + N, where the non-multiplication part N fills the low 2l
//     product bits: scanning bit pairs (a_i, b_i) from i = l-1 down to 0, product bit i + l is 0
//     while a_i = b_i = 0; from the first i = t with a_t | b_t = 1, product bit t + l and every
//     bit below it, down to bit 0, are 1. Hence N = 2^(t + l + 1) - 1 with t the leading one of
//     (aL | bL), and N = 0 when aL = bL = 0.
// Placement of N: the paper's non-multiplication part produces the lower half of the product
// (2l bits) from l operand bit pairs; bit i of the operands drives product bit i + l and the l
// bits under it follow the lowest one. Two public implementations agree (NEURAghe etm.sv,
// University of Bologna; the Chisel `approx` library's ETM); see docs/families/etm.md.
//
// Signed: sign-magnitude, gm::sign_magnitude.
#include "models/arith.hpp"

namespace gm {
namespace {

uint64_t etm_product(uint64_t a, uint64_t b, int l) {
  const uint64_t low_mask = (uint64_t{1} << l) - 1;
  const uint64_t ah = a >> l, bh = b >> l, al = a & low_mask, bl = b & low_mask;
  if (ah == 0 && bh == 0) return al * bl;
  const int t = leading_one(al | bl);  // -1 when both low parts are zero
  const uint64_t non_mult = (t < 0) ? 0 : (uint64_t{1} << (t + l + 1)) - 1;
  return ((ah * bh) << (2 * l)) + non_mult;
}

ModelFn make_etm(const Spec& spec) {
  const int l = spec.get("l");
  return sign_magnitude(spec, [l](uint64_t a, uint64_t b) { return etm_product(a, b, l); });
}

const FamilyRegistrar etm_family({
    .name = "etm",
    .summary = "error-tolerant multiplier: exact high parts, OR-scan fill for the low 2l product bits",
    .reference = "K. Y. Kyaw, W. L. Goh, K. S. Yeo, Low-power high-speed multiplier for error-tolerant "
                 "application, EDSSC 2010",
    .signed_mode = "sign-magnitude",
    .params = {{.key = "l",
                .help = "split point: operand bits below l form the non-multiplication part",
                .lo = {0, 1},
                .hi = {1, -1},
                .required = true}},
    .check = nullptr,
    .make_model = make_etm,
    .default_points = {"l=4", "l=3"},
});

}  // namespace
}  // namespace gm
