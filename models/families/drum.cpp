// drum:k=K: the Dynamic Range Unbiased Multiplier of S. Hashemi, R. I. Bahar and S. Reda, "DRUM: A
// Dynamic Range Unbiased Multiplier for Approximate Applications", ICCAD 2015.
//
// Definition (unsigned, per operand x with its leading one at bit t):
//   * t <= k-1 (x < 2^k): x is used exactly, shift 0 (this includes x = 0);
//   * t >= k: keep the k-1 bits x[t : t-k+2], append a forced 1 as the least significant bit
//     (k bits in all: (x >> (t-k+1)) | 1) and remember the shift t-k+1.
//   P = (xa' * xb') * 2^(shift_a + shift_b), the k-bit product being exact.
// The forced 1 stands for the expected value of the dropped bits, which is what makes the error
// close to unbiased for wide operands.
//
// Signed: sign-magnitude (gm::sign_magnitude): the w-bit magnitudes |a|, |b| (|-2^(w-1)| = 2^(w-1))
// go through the unsigned definition and the product is negated when the signs differ.
#include "models/arith.hpp"

namespace gm {
namespace {

struct DrumOperand {
  uint64_t value;  // at most k bits
  int shift;
};

DrumOperand drum_operand(uint64_t x, int k) {
  const int t = leading_one(x);
  if (t <= k - 1) return {x, 0};
  const int shift = t - k + 1;
  return {(x >> shift) | 1, shift};
}

uint64_t drum_product(uint64_t a, uint64_t b, int k) {
  const DrumOperand ra = drum_operand(a, k), rb = drum_operand(b, k);
  return (ra.value * rb.value) << (ra.shift + rb.shift);
}

ModelFn make_drum(const Spec& spec) {
  const int k = spec.get("k");
  return sign_magnitude(spec, [k](uint64_t a, uint64_t b) { return drum_product(a, b, k); });
}

const FamilyRegistrar drum_family({
    .name = "drum",
    .summary = "DRUM: each operand cut to k bits from its leading one (LSB forced to 1), exact k x k product, shifted back",
    .reference = "S. Hashemi, R. I. Bahar, S. Reda, DRUM: A Dynamic Range Unbiased Multiplier for Approximate "
                 "Applications, ICCAD 2015",
    .signed_mode = "sign-magnitude",
    .params = {{.key = "k",
                .help = "bits kept per operand (k-1 from the leading one, plus a forced 1); k = w is exact",
                .lo = {0, 2},
                .hi = {1, 0},
                .required = true}},
    .check = nullptr,
    .make_model = make_drum,
    .default_points = {"k=4", "k=6"},
});

}  // namespace
}  // namespace gm
