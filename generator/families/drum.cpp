// drum:k=K: the Dynamic Range Unbiased Multiplier (Hashemi, Bahar, Reda, ICCAD 2015).
//
// Structure of the unsigned core, per operand x (w bits):
//   h     = leading-one detector of x (one-hot)
//   big   = x[w-1] | ... | x[k]                      (leading one at or above k: approximate)
//   sh    = t-k+1 encoded from h[w-1:k], 0 when big = 0 (no adder: each h[i] drives the bits of i-k+1)
//   v     = (x >> sh)[k-1:0] with v[0] = (x >> sh)[0] | big   (the forced 1)
// then p = va * vb (exact k x k sub-multiplier), y = p << (sha + shb) (barrel shifter).
// For k = w nothing is ever big and the structure folds into an exact w x w multiplier.
// Signed: sign-magnitude (gm::rtl::sign_magnitude_product).
#include "generator/registry.hpp"
#include "generator/gates/shift.hpp"

namespace gm::rtl {
namespace {

struct Truncated {
  Bits value;  // k bits
  Bits shift;  // bits_for(w-k) bits
};

// Nets of operand `tag` (a or b): lod_<tag>, big_<tag>, sh_<tag> (the shift amount), shr_<tag>,
// lsb_<tag>.
Truncated truncate_operand(Netlist& nl, const Bits& x, int w, int k, const std::string& tag) {
  const Bits h = leading_one_onehot(nl, x, "lod_" + tag);
  nl.section("approximate operand: big_" + tag + " = x[w-1] | ... | x[k]");
  const Net big = any_set(nl, Bits(x.begin() + k, x.end()), "big_" + tag);
  const Bits shift = encode_onehot(
      nl, h, [k](int i) { return i >= k ? i - k + 1 : 0; }, bits_for(w - k), "sh_" + tag);
  Bits value = shift_right(nl, x, shift, k, "shr_" + tag);
  nl.section("forced one: lsb_" + tag + " = (x >> sh)[0] | big");
  value[0] = nl.or2(value[0], big, "lsb_" + tag);
  return {value, shift};
}

Bits drum_core(Netlist& nl, const Bits& a, const Bits& b, int w, int k) {
  const Truncated ta = truncate_operand(nl, a, w, k, "a");
  const Truncated tb = truncate_operand(nl, b, w, k, "b");
  const Bits p = multiply_unsigned(nl, ta.value, tb.value, 2 * k, "mul");
  nl.section("total shift: shsum = sh_a + sh_b (cells shsum_c<i>)");
  const Bits total = nl.add(ta.shift, tb.shift, Netlist::zero(), bits_for(2 * (w - k)), "shsum");
  return shift_left(nl, p, total, 2 * w, "shl");
}

std::string generate_drum(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, k = spec.get("k");
  if (k < 2 || k > w) throw std::logic_error("drum: k out of range");
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed,
                         [&](const Bits& a, const Bits& b) { return drum_core(nl, a, b, w, k); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar drum_gen("drum", generate_drum);

}  // namespace
}  // namespace gm::rtl
