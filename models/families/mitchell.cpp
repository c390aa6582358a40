// mitchell:f=F: the logarithmic multiplier of J. N. Mitchell, "Computer Multiplication and Division
// Using Binary Logarithms", IRE Trans. Electronic Computers EC-11(4), 1962, with the fraction of
// each operand's logarithm truncated to F bits.
//
// Definition (unsigned). Write A = 2^k1 (1 + x1), B = 2^k2 (1 + x2) with k the leading-one position
// and 0 <= x < 1; log2 A ~ k1 + x1. Keep F fraction bits, truncating:
//   X1 = x1 * 2^F rounded down = (A - 2^k1) >> (k1-F)  if k1 >= F,  (A - 2^k1) << (F-k1) otherwise.
// With S = X1 + X2 (the sum of the logarithms' fractions) the antilogarithm is approximated
// linearly:
//   S <  2^F:  P = floor((2^F + S) * 2^(k1+k2) / 2^F)      i.e. 2^(k1+k2) (1 + x1 + x2)
//   S >= 2^F:  P = floor(S * 2^(k1+k2+1) / 2^F)           i.e. 2^(k1+k2+1) (x1 + x2)
// A zero operand gives 0. Every step rounds down, so P <= A*B; at full precision (F = w-1, nothing
// truncated) the largest relative error is 1/9, at x1 = x2 = 1/2 (e.g. 3 x 3 = 8).
//
// Signed: sign-magnitude (gm::sign_magnitude) on the w-bit magnitudes.
#include "models/arith.hpp"

namespace gm {
namespace {

// The F-bit fraction of log2(x) ~ k + X/2^F, truncated: the bits below the leading one, aligned so
// that the bit right under the leading one has weight 2^(F-1).
uint64_t log_fraction(uint64_t x, int k, int f) {
  const uint64_t below_leading_one = x - (uint64_t{1} << k);
  return k >= f ? below_leading_one >> (k - f) : below_leading_one << (f - k);
}

uint64_t mitchell_product(uint64_t a, uint64_t b, int f) {
  if (a == 0 || b == 0) return 0;
  const int k1 = leading_one(a), k2 = leading_one(b);
  const uint64_t s = log_fraction(a, k1, f) + log_fraction(b, k2, f);
  const uint64_t one = uint64_t{1} << f;
  if (s < one) return ((one + s) << (k1 + k2)) >> f;
  return (s << (k1 + k2 + 1)) >> f;
}

ModelFn make_mitchell(const Spec& spec) {
  const int f = spec.get("f");
  return sign_magnitude(spec, [f](uint64_t a, uint64_t b) { return mitchell_product(a, b, f); });
}

const FamilyRegistrar mitchell_family({
    .name = "mitchell",
    .summary = "Mitchell logarithmic multiplier: add the operands' piecewise-linear log2 (f fraction bits), linear antilog",
    .reference = "J. N. Mitchell, Computer Multiplication and Division Using Binary Logarithms, IRE Trans. "
                 "Electronic Computers EC-11(4), 1962",
    .signed_mode = "sign-magnitude",
    .params = {{.key = "f",
                .help = "fraction bits of each logarithm (truncated); f = w-1 keeps every bit",
                .lo = {0, 0},
                .hi = {1, -1},
                .required = false,
                .def = {1, -1}}},
    .check = nullptr,
    .make_model = make_mitchell,
    .default_points = {"f=7", "f=3"},
});

}  // namespace
}  // namespace gm
