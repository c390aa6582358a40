#include "generator/gates/shift.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace gm::rtl {

int bits_for(int max_value) {
  int bits = 0;
  while ((int64_t{1} << bits) <= max_value) ++bits;
  return bits;
}

Net any_set(Netlist& nl, const Bits& x, const std::string& name) {
  // The last bit that is not a constant 0 makes the chain's last gate.
  int last = static_cast<int>(x.size()) - 1;
  while (last >= 0 && x[last].is_zero()) --last;
  Net acc = Netlist::zero();
  for (int i = 0; i < static_cast<int>(x.size()); ++i)
    acc = nl.or2(acc, x[i], i == last ? name : name + "_upto" + std::to_string(i));
  return acc;
}

Bits leading_one_onehot(Netlist& nl, const Bits& x, const std::string& name) {
  nl.section(name + ": leading-one detector, " + name + "_h<i> = x[i] & ~" + name + "_above<i>, " + name +
             "_above<i> = x[i+1] | ... | x[n-1]");
  Bits h(x.size());
  Net above = Netlist::zero();
  for (int i = static_cast<int>(x.size()) - 1; i >= 0; --i) {
    const std::string at = std::to_string(i);
    h[i] = nl.and2(x[i], nl.not1(above, name + "_nabove" + at), name + "_h" + at);
    // x[i] | ... | x[n-1] is above[i-1]; for i = 0 it is "any bit set".
    above = nl.or2(above, x[i], i > 0 ? name + "_above" + std::to_string(i - 1) : name + "_any");
  }
  return h;
}

Bits encode_onehot(Netlist& nl, const Bits& h, const std::function<int(int)>& value, int width,
                   const std::string& name) {
  nl.section(name + ": one-hot encoder, " + name + "_bit<b> = OR of the h[i] whose encoded value has bit b set");
  const int n = static_cast<int>(h.size());
  std::vector<int> values(n);
  std::vector<int> last(width, -1);  // the last term of each bit's OR chain
  for (int i = 0; i < n; ++i) {
    values[i] = value(i);
    if (values[i] < 0 || values[i] >= (1 << width)) throw std::logic_error("encode_onehot: value out of range");
    for (int b = 0; b < width; ++b)
      if ((values[i] >> b) & 1 && !h[i].is_zero()) last[b] = i;
  }
  Bits out(width, Netlist::zero());
  for (int i = 0; i < n; ++i)
    for (int b = 0; b < width; ++b)
      if ((values[i] >> b) & 1) {
        const std::string bit = name + "_bit" + std::to_string(b);
        out[b] = nl.or2(out[b], h[i], i == last[b] ? bit : bit + "_upto_h" + std::to_string(i));
      }
  return out;
}

namespace {

// One barrel-shifter stage per amount bit; `step` = +1 shifts towards the MSB, -1 towards the LSB.
Bits barrel(Netlist& nl, const Bits& x, const Bits& amount, int width, int step, const std::string& name) {
  const int n = static_cast<int>(x.size());
  Bits y(width);
  for (int i = 0; i < width; ++i) y[i] = i < n ? x[i] : Netlist::zero();
  for (size_t s = 0; s < amount.size(); ++s) {
    const int dist = 1 << s;
    Bits next(width);
    for (int i = 0; i < width; ++i) {
      const int from = i - step * dist;
      const Net shifted = (from >= 0 && from < width) ? y[from] : Netlist::zero();
      next[i] = nl.mux2(amount[s], y[i], shifted, name + "_s" + std::to_string(s) + "_y" + std::to_string(i));
    }
    y = next;
  }
  return y;
}

}  // namespace

Bits shift_left(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& name) {
  nl.section(name + ": left barrel shifter, " + name + "_s<s>_y<i> = amt[s] ? y[i - 2^s] : y[i]");
  return barrel(nl, x, amount, width, +1, name);
}

Bits shift_right(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& name) {
  nl.section(name + ": right barrel shifter, " + name + "_s<s>_y<i> = amt[s] ? y[i + 2^s] : y[i]");
  // Every input bit can reach the output, so the stages work on the whole input.
  const int inner = std::max(width, static_cast<int>(x.size()));
  Bits y = barrel(nl, x, amount, inner, -1, name);
  y.resize(width);
  return y;
}

}  // namespace gm::rtl
