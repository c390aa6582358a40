// etm:l=L: the error-tolerant multiplier (Kyaw, Goh, Yeo, EDSSC 2010).
//
// Structure of the unsigned core (operands split at bit l):
//   any_high = OR of a[w-1:l] and b[w-1:l]               (selects the approximate path)
//   hp       = a[w-1:l] * b[w-1:l], exact sub-multiplier, placed at bit 2l
//   lp       = a[l-1:0] * b[l-1:0], exact sub-multiplier (used when any_high = 0)
//   scan     f[l-1] = a[l-1] | b[l-1];  f[i] = a[i] | b[i] | f[i+1]
//   nmp      bit i + l = f[i] (i = 0..l-1), bits l-1..0 = f[0]
//   y[2l-1:0] = any_high ? nmp : lp;   y[2w-1:2l] = hp (zero whenever any_high = 0)
// The paper reuses one multiplier for both cases through input multiplexers (its l = w/2); here
// the low product has its own sub-multiplier so that every l in 1..w-1 is allowed.
// Signed: sign-magnitude (gm::rtl::sign_magnitude_product).
#include "generator/gates/operands.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

Bits slice(const Bits& x, int lo, int hi) { return Bits(x.begin() + lo, x.begin() + hi); }

// any_high = a[w-1] | ... | a[l] | b[w-1] | ... | b[l]
// Nets: any_high_ab<i> = a[i] | b[i], the OR chain any_high_upto<i>, and any_high last.
Net any_high_bit(Netlist& nl, const Bits& a, const Bits& b, int l) {
  nl.section("high-part detector: any_high = |a[w-1:l] | |b[w-1:l]");
  Net acc = Netlist::zero();
  for (size_t i = l; i < a.size(); ++i) {
    const std::string at = std::to_string(i);
    acc = nl.or2(acc, nl.or2(a[i], b[i], "any_high_ab" + at), i + 1 == a.size() ? "any_high" : "any_high_upto" + at);
  }
  return acc;
}

// The non-multiplication part, 2l bits: f[i] = a[i] | b[i] | f[i+1] from the top; bit i + l = f[i];
// the l bits below follow f[0].
Bits non_multiplication_part(Netlist& nl, const Bits& a, const Bits& b, int l) {
  nl.section("non-multiplication part: nmp_f<i> = nmp_ab<i> | nmp_f<i+1>, nmp_ab<i> = a[i] | b[i], scanned "
             "from bit l-1 down");
  Bits out(2 * l);
  Net f = Netlist::zero();
  for (int i = l - 1; i >= 0; --i) {
    const std::string at = std::to_string(i);
    f = nl.or2(f, nl.or2(a[i], b[i], "nmp_ab" + at), "nmp_f" + at);
    out[i + l] = f;
  }
  for (int i = 0; i < l; ++i) out[i] = f;
  return out;
}

Bits etm_core(Netlist& nl, const Bits& a, const Bits& b, int w, int l) {
  const Net any_high = any_high_bit(nl, a, b, l);
  const Bits hp = multiply_unsigned(nl, slice(a, l, w), slice(b, l, w), 2 * (w - l), "hmul");
  const Bits lp = multiply_unsigned(nl, slice(a, 0, l), slice(b, 0, l), 2 * l, "lmul");
  const Bits nmp = non_multiplication_part(nl, a, b, l);
  nl.section("low product bits: sel_y<k> = any_high ? nmp[k] : lp[k]");
  Bits y(2 * w);
  for (int k = 0; k < 2 * l; ++k) y[k] = nl.mux2(any_high, lp[k], nmp[k], "sel_y" + std::to_string(k));
  for (int k = 2 * l; k < 2 * w; ++k) y[k] = hp[k - 2 * l];
  return y;
}

std::string generate_etm(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w, l = spec.get("l");
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed,
                         [&](const Bits& a, const Bits& b) { return etm_core(nl, a, b, w, l); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar etm_gen("etm", generate_etm);

}  // namespace
}  // namespace gm::rtl
