// Structural helpers of the operand-transform families that work from an operand's leading one
// (drum, mitchell, roba): leading-one detection, priority encoding and shifters. Vectors are
// little-endian (Bits, generator/gates/operands.hpp). Each helper opens its own section and names
// its nets after `name` (see each one).
#pragma once

#include <functional>
#include <string>

#include "generator/gates/operands.hpp"

namespace gm::rtl {

// Number of bits that hold every value 0..max_value (0 for max_value = 0).
int bits_for(int max_value);

// x[0] | x[1] | ... (0 for an empty vector). The OR chain's last gate is `name`, the ones before
// it `name`_upto<i> (x[0] | ... | x[i]). Opens no section.
Net any_set(Netlist& nl, const Bits& x, const std::string& name);

// Leading-one detector, one-hot: h[i] = x[i] & ~(x[i+1] | ... | x[n-1]); all zero when x = 0.
// Nets `name`_h<i>, `name`_above<i> (x[i+1] | ... | x[n-1]) and its complement `name`_nabove<i>.
Bits leading_one_onehot(Netlist& nl, const Bits& x, const std::string& name);

// Encoder of an (at most) one-hot vector: out bit b = OR of h[i] over the i with bit b of
// value(i) set, `width` bits. With value(i) = i after leading_one_onehot this is a priority encoder;
// other mappings give derived amounts (w-1-i for a normalising shift, i-k+1 for DRUM) with no adder.
// Bit b is `name`_bit<b>, the OR chain before it `name`_bit<b>_upto_h<i>.
Bits encode_onehot(Netlist& nl, const Bits& h, const std::function<int(int)>& value, int width,
                   const std::string& name);

// Logarithmic barrel shifters, `width` result bits. Stage s shifts by 2^s when amount[s] is set:
//   left:  y[i] = amount[s] ? y[i - 2^s] : y[i]   (0 shifted in)
//   right: y[i] = amount[s] ? y[i + 2^s] : y[i]   (0 shifted in)
// The multiplexer of bit i in stage s is `name`_s<s>_y<i>.
Bits shift_left(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& name);
Bits shift_right(Netlist& nl, const Bits& x, const Bits& amount, int width, const std::string& name);

}  // namespace gm::rtl
