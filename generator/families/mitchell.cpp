// mitchell:f=F: Mitchell's logarithmic multiplier (IRE Trans. EC-11(4), 1962), F fraction bits.
//
// Structure of the unsigned core, per operand x (w bits):
//   h    = leading-one detector of x (one-hot);  nz = x != 0
//   k    = position of the leading one (priority encoder);  lz = w-1-k, encoded from h directly
//   n    = x << lz (normaliser: the leading one lands on bit w-1)
//   X    = n[w-2 : w-1-F], the F bits under the leading one (the truncated log fraction)
// then, for the pair:
//   S    = Xa + Xb (F+1 bits), c = S[F]
//   M    = {1, S[F-1:0]}   (1 + x1 + x2 when c = 0; x1 + x2 when c = 1, which is already >= 1)
//   e    = ka + kb + c
//   y    = (M << e) >> F, forced to 0 unless nz_a & nz_b
// The linear antilogarithm needs no multiplexer: both of Mitchell's cases are "a 1 above S's low
// bits", the carry c only moves the exponent.
// Signed: sign-magnitude (gm::rtl::sign_magnitude_product).
#include "generator/registry.hpp"
#include "generator/gates/shift.hpp"

namespace gm::rtl {
namespace {

struct LogOperand {
  Bits exponent;  // k, bits_for(w-1) bits
  Bits fraction;  // F bits
  Net nonzero;
};

// Nets of operand `tag` (a or b): lod_<tag>, k_<tag>, lz_<tag>, norm_<tag>, nz_<tag>.
LogOperand binary_log(Netlist& nl, const Bits& x, int w, int f, const std::string& tag) {
  const Bits h = leading_one_onehot(nl, x, "lod_" + tag);
  const int ebits = bits_for(w - 1);
  const Bits k = encode_onehot(nl, h, [](int i) { return i; }, ebits, "k_" + tag);
  const Bits lz = encode_onehot(nl, h, [w](int i) { return w - 1 - i; }, ebits, "lz_" + tag);
  const Bits n = shift_left(nl, x, lz, w, "norm_" + tag);
  nl.section("non-zero operand: nz_" + tag + " = x[0] | ... | x[w-1]");
  const Net nz = any_set(nl, x, "nz_" + tag);
  return {k, Bits(n.begin() + (w - 1 - f), n.begin() + (w - 1)), nz};
}

Bits mitchell_core(Netlist& nl, const Bits& a, const Bits& b, int w, int f) {
  const LogOperand la = binary_log(nl, a, w, f, "a");
  const LogOperand lb = binary_log(nl, b, w, f, "b");
  nl.section("fraction sum: S = Xa + Xb (cells fsum_c<i>)");
  const Bits s = nl.add(la.fraction, lb.fraction, Netlist::zero(), f + 1, "fsum");
  const Net carry = s[f];
  nl.section("exponent: e = ka + kb + c (cells esum_c<i>)");
  const Bits e = nl.add(la.exponent, lb.exponent, carry, bits_for(2 * w - 1), "esum");
  Bits mantissa(s.begin(), s.begin() + f);
  mantissa.push_back(Netlist::one());
  const Bits shifted = shift_left(nl, mantissa, e, 2 * w + f, "alog");
  nl.section("zero operand: y_nz<i> = alog[i + F] & nz_ab, nz_ab = nz_a & nz_b");
  const Net both = nl.and2(la.nonzero, lb.nonzero, "nz_ab");
  Bits y;
  for (int i = 0; i < 2 * w; ++i) y.push_back(nl.and2(shifted[i + f], both, "y_nz" + std::to_string(i)));
  return y;
}

std::string generate_mitchell(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, f = spec.get("f");
  if (f < 0 || f > w - 1) throw std::logic_error("mitchell: f out of range");
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed,
                         [&](const Bits& a, const Bits& b) { return mitchell_core(nl, a, b, w, f); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar mitchell_gen("mitchell", generate_mitchell);

}  // namespace
}  // namespace gm::rtl
