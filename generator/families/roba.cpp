// roba: the rounding-based approximate multiplier (Zendegani, Kamal, Bahadori, Afzali-Kusha,
// Pedram, IEEE TVLSI 2017).
//
// Structure of the unsigned core, per operand x (w bits):
//   h     = leading-one detector of x (one-hot, leading one at t)
//   up[t] = x[t-1] for t >= 2, 0 for t < 2   (x >= 1.5 * 2^t rounds up; 3 stays at 2)
//   r[j]  = (h[j] & ~up[j]) | (h[j-1] & up[j-1]),  j = 0..w   (one-hot rounded value, w+1 bits)
// then, for the pair (everything mod 2^(2w); the exact result fits 2w bits):
//   ea    = log2(ra), encoded from the one-hot r (OR gates)
//   ra_b  = (b & nz_a) << ea, rb_a = (a & nz_b) << eb   (logarithmic barrel shifters, as the
//           paper's shifters; nz = x != 0, since ea = 0 stands for both ra = 1 and ra = 0)
//   rr    = ra * rb, one-hot: rr[k] = OR over i+j=k of (ra[i] & rb[j])
//   y     = ra_b + rb_a + ~rr + 1   (carry-save Dadda tree, ripple-carry adder)
// Signed: sign-magnitude (gm::rtl::sign_magnitude_product).
#include "generator/gates/pp_tree.hpp"
#include "generator/registry.hpp"
#include "generator/gates/shift.hpp"

namespace gm::rtl {
namespace {

// r[j] = (h[j] & ~up[j]) | (h[j-1] & up[j-1]), with up[t] = x[t-1] for t >= 2, else 0.
// Nets rnd_<tag>_r<j> = rnd_<tag>_stay<j> | rnd_<tag>_below<j>, rnd_<tag>_nup<j> = ~up[j].
Bits round_to_power_of_two(Netlist& nl, const Bits& x, const std::string& tag) {
  const int w = static_cast<int>(x.size());
  const Bits h = leading_one_onehot(nl, x, "lod_" + tag);
  auto up = [&](int t) { return t >= 2 ? x[t - 1] : Netlist::zero(); };
  const std::string p = "rnd_" + tag;
  nl.section("nearest power of two: " + p + "_r<j> = (h[j] & ~x[j-1]) | (h[j-1] & x[j-2]), j >= 2 terms only");
  Bits r(w + 1);
  for (int j = 0; j <= w; ++j) {
    const std::string at = std::to_string(j);
    const Net stay = j < w ? nl.and2(h[j], nl.not1(up(j), p + "_nup" + at), p + "_stay" + at) : Netlist::zero();
    const Net from_below = j >= 1 ? nl.and2(h[j - 1], up(j - 1), p + "_below" + at) : Netlist::zero();
    r[j] = nl.or2(stay, from_below, p + "_r" + at);
  }
  return r;
}

// p[k] = OR over i + j = k of (x[i] & y[j]) for one-hot x, y; `width` bits.
// Nets rr_a<i>_b<j> = x[i] & y[j] and the OR chain rr_c<k>_upto_a<i> of column k.
Bits onehot_product(Netlist& nl, const Bits& x, const Bits& y, int width) {
  nl.section("product of the rounded values, one-hot: rr[k] = OR over i+j=k of (rr_a<i>_b<j> = ra[i] & rb[j])");
  Bits p(width, Netlist::zero());
  for (size_t i = 0; i < x.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j)
      if (static_cast<int>(i + j) < width) {
        const std::string term = "rr_a" + std::to_string(i) + "_b" + std::to_string(j);
        const std::string chain = "rr_c" + std::to_string(i + j) + "_upto_a" + std::to_string(i);
        p[i + j] = nl.or2(p[i + j], nl.and2(x[i], y[j], term), chain);
      }
  return p;
}

// y[i] = x[i] & enable, nets `name`<i>
Bits gate(Netlist& nl, const Bits& x, Net enable, const std::string& name) {
  nl.section("zero operand gate: " + name + "<i> = x[i] & nz, nz = other operand != 0");
  Bits y;
  for (size_t i = 0; i < x.size(); ++i) y.push_back(nl.and2(x[i], enable, name + std::to_string(i)));
  return y;
}

Bits roba_core(Netlist& nl, const Bits& a, const Bits& b, int w) {
  const int width = 2 * w;
  const Bits ra = round_to_power_of_two(nl, a, "a");
  const Bits rb = round_to_power_of_two(nl, b, "b");
  auto position = [](int j) { return j; };
  const Bits ea = encode_onehot(nl, ra, position, bits_for(w), "ea");
  const Bits eb = encode_onehot(nl, rb, position, bits_for(w), "eb");
  // b gated by nz_a, shifted by ea: ra * b; and the other way round.
  const Bits ra_b = shift_left(nl, gate(nl, b, any_set(nl, a, "nz_a"), "b_nz"), ea, width, "rab");
  const Bits rb_a = shift_left(nl, gate(nl, a, any_set(nl, b, "nz_b"), "a_nz"), eb, width, "rba");
  const Bits rr = onehot_product(nl, ra, rb, width);
  // ra_b + rb_a - rr = ra_b + rb_a + ~rr + 1 (mod 2^width).
  nl.section("subtrahend: rr_n<k> = ~rr[k]");
  Columns cols(width);
  for (int i = 0; i < width; ++i) {
    cols[i].push_back(ra_b[i]);
    cols[i].push_back(rb_a[i]);
    cols[i].push_back(nl.not1(rr[i], "rr_n" + std::to_string(i)));
  }
  add_constant(cols, 1);
  return final_adder(nl, reduce(nl, cols, Reduction::kDadda));
}

std::string generate_roba(const Spec& spec, const std::vector<std::string>& header) {
  const int w = spec.w;
  Netlist nl(w, w, spec.out_width());
  sign_magnitude_product(nl, w, spec.is_signed, [&](const Bits& a, const Bits& b) { return roba_core(nl, a, b, w); });
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar roba_gen("roba", generate_roba);

}  // namespace
}  // namespace gm::rtl
