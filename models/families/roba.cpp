// roba: the rounding-based approximate multiplier of R. Zendegani, M. Kamal, M. Bahadori,
// A. Afzali-Kusha and M. Pedram, "RoBA Multiplier: A Rounding-Based Approximate Multiplier for
// High-Speed yet Energy-Efficient Digital Signal Processing", IEEE TVLSI 25(2), 2017.
//
// Definition (unsigned). Round each operand to its nearest power of two, Ar and Br (0 stays 0).
// Since A*B = Ar*B + A*Br - Ar*Br + (A - Ar)(B - Br), dropping the last term leaves
//   P = Ar*B + A*Br - Ar*Br,
// three shifts, an adder and a subtractor. Ties: a number 3 * 2^(p-2) is equally far from 2^(p-1)
// and 2^p; the paper takes the larger, 2^p, except for p = 2: 3 rounds to 2. Ar can need w+1 bits
// (255 -> 256 at w = 8). Then P = A*B - (A-Ar)(B-Br) with |A-Ar| <= A/3, so 8/9 A*B <= P <= 10/9 A*B:
// the result is never negative. It is returned as the 2w-bit product word like every design.
//
// Signed: the paper also gives signed versions; greenmac uses sign-magnitude (gm::sign_magnitude)
// on the w-bit magnitudes, like the other operand-transform families.
#include "models/arith.hpp"

namespace gm {
namespace {

// The power of two nearest to x (0 for 0), ties as in the paper.
uint64_t nearest_power_of_two(uint64_t x) {
  if (x == 0) return 0;
  const uint64_t below = uint64_t{1} << leading_one(x), above = below << 1;
  const uint64_t to_below = x - below, to_above = above - x;
  if (to_below < to_above) return below;
  if (to_above < to_below) return above;
  return x == 3 ? below : above;  // tie: the larger one, except for 3
}

uint64_t roba_product(uint64_t a, uint64_t b) {
  const int64_t ar = static_cast<int64_t>(nearest_power_of_two(a));
  const int64_t br = static_cast<int64_t>(nearest_power_of_two(b));
  const int64_t sa = static_cast<int64_t>(a), sb = static_cast<int64_t>(b);
  return static_cast<uint64_t>(ar * sb + sa * br - ar * br);
}

ModelFn make_roba(const Spec& spec) { return sign_magnitude(spec, roba_product); }

const FamilyRegistrar roba_family({
    .name = "roba",
    .summary = "RoBA: operands rounded to their nearest powers of two, P = Ar*B + A*Br - Ar*Br",
    .reference = "R. Zendegani, M. Kamal, M. Bahadori, A. Afzali-Kusha, M. Pedram, RoBA Multiplier: A "
                 "Rounding-Based Approximate Multiplier for High-Speed yet Energy-Efficient Digital Signal "
                 "Processing, IEEE TVLSI 25(2), 2017",
    .signed_mode = "sign-magnitude",
    .params = {},
    .check = nullptr,
    .make_model = make_roba,
    .default_points = {},  // no parameters: the one point is the family itself
});

}  // namespace
}  // namespace gm
