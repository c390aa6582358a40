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

Net any_set(Netlist& nl, const Bits& x) {
  Net acc = Netlist::zero();
  for (const Net& bit : x) acc = nl.or2(acc, bit);
  return acc;
}

Bits leading_one_onehot(Netlist& nl, const Bits& x, const std::string& bank) {
  nl.section(bank, "leading-one detector: h[i] = x[i] & ~above[i], above[i] = x[i+1] | above[i+1]");
  Bits h(x.size());
  Net above = Netlist::zero();
  for (int i = static_cast<int>(x.size()) - 1; i >= 0; --i) {
    h[i] = nl.and2(x[i], nl.not1(above));
    above = nl.or2(above, x[i]);
  }
  return h;
}

Bits encode_onehot(Netlist& nl, const Bits& h, const std::function<int(int)>& value, int width,
                   const std::string& bank) {
  nl.section(bank, "one-hot encoder: out[b] = OR of h[i] whose encoded value has bit b set");
  Bits out(width, Netlist::zero());
  for (int i = 0; i < static_cast<int>(h.size()); ++i) {
    const int v = value(i);
    if (v < 0 || v >= (1 << width)) throw std::logic_error("encode_onehot: value out of range");
    for (int b = 0; b < width; ++b)
      if ((v >> b) & 1) out[b] = nl.or2(out[b], h[i]);
  }
  return out;
}

namespace {

// One barrel-shifter stage per amount bit; `step` = +1 shifts towards the MSB, -1 towards the LSB.
Bits barrel(Netlist& nl, const Bits& x, const Bits& amount, int width, int step) {
  const int n = static_cast<int>(x.size());
  Bits y(width);
  for (int i = 0; i < width; ++i) y[i] = i < n ? x[i] : Netlist::zero();
  for (size_t s = 0; s < amount.size(); ++s) {
    const int dist = 1 << s;
    Bits next(width);
    for (int i = 0; i < width; ++i) {
      const int from = i - step * dist;
      const Net shifted = (from >= 0 && from < width) ? y[from] : Netlist::zero();
      next[i] = nl.mux2(amount[s], y[i], shifted);
    }
    y = next;
  }
  return y;
}

}  // namespace

Bits shift_left(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& bank) {
  nl.section(bank, "left barrel shifter: stage s, y[i] = amt[s] ? y[i - 2^s] : y[i]");
  return barrel(nl, x, amount, width, +1);
}

Bits shift_right(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& bank) {
  nl.section(bank, "right barrel shifter: stage s, y[i] = amt[s] ? y[i + 2^s] : y[i]");
  // Every input bit can reach the output, so the stages work on the whole input.
  const int inner = std::max(width, static_cast<int>(x.size()));
  Bits y = barrel(nl, x, amount, inner, -1);
  y.resize(width);
  return y;
}

}  // namespace gm::rtl
