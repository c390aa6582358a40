// perf:j=J,m=M: partial-product perforation, Zervakis, Tsoumanis, Xydis, Soudris and Pekmestzi,
// "Design-Efficient Approximate Multiplication Circuits Through Partial Product Perforation",
// IEEE TVLSI 24(10), 2016.
//
// m successive partial-product rows, starting at row j, are not generated. Row k is a * b_k 2^k, so
// this is the product with those bits of the multiplier b cleared:
//
//     P = a * b'  mod 2^(2w),   b' = b with bits j .. j+m-1 set to 0,
//
// 0 <= j, 1 <= m, j + m <= w. Signed operands: b' is read as a two's-complement w-bit number, so
// when the cleared bits include the sign bit b' is non-negative. (In the modified Baugh-Wooley
// matrix a perforated row is not simply dropped: its sign-position cell ~(a_(w-1) & 0) = 1 stays;
// the generator builds the matrix of b' to get exactly a * b'.) Since e = -a (b - b'), the error
// is zero whenever the perforated bits of b are zero; unsigned, P never exceeds the exact product.
#include "models/arith.hpp"

namespace gm {
namespace {

ModelFn perforated_product(const Spec& spec) {
  const int w = spec.w, j = spec.get("j"), m = spec.get("m");
  const bool s = spec.is_signed;
  const uint64_t perforated = ((uint64_t{1} << m) - 1) << j;
  return [w, s, perforated](int64_t a, int64_t b) {
    const uint64_t b_bits = static_cast<uint64_t>(b) & ((uint64_t{1} << w) - 1);
    const int64_t b_perforated = wrap(static_cast<int64_t>(b_bits & ~perforated), w, s);
    return wrap(a * b_perforated, 2 * w, s);
  };
}

std::string check_rows(const Spec& spec) {
  const int j = spec.get("j"), m = spec.get("m");
  if (j + m > spec.w)
    return "perf: the perforated rows j .. j+m-1 must exist: j + m <= w (= " + std::to_string(spec.w) +
           "), got j=" + std::to_string(j) + ", m=" + std::to_string(m);
  return "";
}

const FamilyRegistrar perf_family({
    .name = "perf",
    .summary = "partial-product perforation: m successive partial-product rows from row j skipped",
    .reference = "Zervakis, Tsoumanis, Xydis, Soudris, Pekmestzi, IEEE TVLSI 24(10), 2016",
    .signed_mode = "two's complement: a * b', b' = b with the perforated bits cleared (baugh-wooley)",
    .params = {{.key = "j",
                .help = "first perforated partial-product row (bit of b)",
                .lo = {0, 0},
                .hi = {1, -1},
                .required = true},
               {.key = "m",
                .help = "number of successive perforated rows (j + m <= w)",
                .lo = {0, 1},
                .hi = {1, 0},
                .required = true}},
    .check = check_rows,
    .make_model = perforated_product,
    .default_points = {"j=0,m=2", "j=0,m=3"},
});

}  // namespace
}  // namespace gm
