// udm: the underdesigned multiplier of Kulkarni, Gupta and Ercegovac, "Trading Accuracy for Power
// with an Underdesigned Multiplier Architecture", VLSI Design 2011.
//
// Definition. The building block is an inaccurate 2x2 multiplier with a 3-bit output
//     p0 = a0 b0,   p1 = a1 b0 | a0 b1,   p2 = a1 b1,
// which equals the exact product except 3 x 3 = 7 (0b111) instead of 9. Wider multipliers are
// composed recursively with exact adders. greenmac's composition for operand widths nx, ny:
//   * nx <= 2 and ny <= 2: the 2x2 block when nx = ny = 2, otherwise the exact product (1x1, 1x2,
//     2x1: the AND gates alone, no adder, so there is nothing to approximate);
//   * otherwise every operand wider than 2 bits is split into a low part of ceil(n/2) bits and a
//     high part of the rest (an operand of width <= 2 stays whole), and
//         P = sum over parts (x_p, y_q) of M(x_p, y_q) * 2^(shift_p + shift_q),
//     i.e. aH bH 2^(la+lb) + aH bL 2^la + aL bH 2^lb + aL bL when both are split.
// At w = 8 or 16 this is the paper's tree of 2x2 blocks on 2-bit digits. The block never
// overestimates (7 < 9), so the composed product fits in nx + ny bits.
//
// Signed: sign-magnitude (|a|, |b| through the unsigned core, the result negated when the signs
// differ), gm::sign_magnitude.
#include "models/arith.hpp"

namespace gm {
namespace {

// The inaccurate 2x2 block: exact except 3 x 3 -> 7.
uint64_t udm_block(uint64_t x, uint64_t y) { return (x == 3 && y == 3) ? 7 : x * y; }

struct Part {
  uint64_t value;
  int width;
  int shift;
};

// An operand of width n > 2 splits into ceil(n/2) low bits and n - ceil(n/2) high bits.
int udm_parts(uint64_t v, int n, Part out[2]) {
  if (n <= 2) {
    out[0] = {v, n, 0};
    return 1;
  }
  const int lo = (n + 1) / 2;
  out[0] = {v & ((uint64_t{1} << lo) - 1), lo, 0};
  out[1] = {v >> lo, n - lo, lo};
  return 2;
}

uint64_t udm_product(uint64_t x, int nx, uint64_t y, int ny) {
  if (nx <= 2 && ny <= 2) return (nx == 2 && ny == 2) ? udm_block(x, y) : x * y;
  Part px[2], py[2];
  const int kx = udm_parts(x, nx, px), ky = udm_parts(y, ny, py);
  uint64_t sum = 0;
  for (int i = 0; i < kx; ++i)
    for (int j = 0; j < ky; ++j)
      sum += udm_product(px[i].value, px[i].width, py[j].value, py[j].width) << (px[i].shift + py[j].shift);
  return sum;
}

ModelFn make_udm(const Spec& spec) {
  const int w = spec.w;
  return sign_magnitude(spec, [w](uint64_t a, uint64_t b) { return udm_product(a, w, b, w); });
}

const FamilyRegistrar udm_family({
    .name = "udm",
    .summary = "underdesigned multiplier: recursive tree of 2x2 blocks that return 7 for 3x3, exact adders",
    .reference = "P. Kulkarni, P. Gupta, M. Ercegovac, Trading accuracy for power with an underdesigned "
                 "multiplier architecture, VLSI Design 2011",
    .signed_mode = "sign-magnitude",
    .params = {},
    .check = nullptr,
    .make_model = make_udm,
    .default_points = {},  // no parameters: the default set holds udm:w=8 at s=0 and s=1
});

}  // namespace
}  // namespace gm
