// The partial-product matrix as an arithmetic definition, for the models of the families that drop
// or replace partial-product bits (trunc, bam, comp42).
//
// Unsigned: bit (i, j) = a_i & b_j with weight 2^(i+j), and a*b = sum of all bits.
// Signed (modified Baugh-Wooley): bit (i, j) is a_i & b_j, inverted when exactly one of i, j is the
// sign position w-1; two constant ones at columns w and 2w-1 complete the product:
//   a*b = sum_(i,j) bit(i,j) 2^(i+j) + 2^w + 2^(2w-1)   (mod 2^(2w)).
// The constants belong to the sign handling, not to any cell, so approximate families keep them.
#pragma once

#include <cstdint>

#include "models/arith.hpp"

namespace gm {

inline int pp_bit(uint64_t a, uint64_t b, int i, int j, int w, bool is_signed) {
  int bit = static_cast<int>(((a >> i) & 1) & ((b >> j) & 1));
  if (is_signed && ((i == w - 1) != (j == w - 1))) bit ^= 1;
  return bit;
}

// Sum of the kept matrix bits (keep(i, j) true) plus the Baugh-Wooley constants, as the 2w-bit
// output word. `a`, `b` are the operands in their natural range.
template <class Keep>
int64_t pp_sum(int64_t a, int64_t b, int w, bool is_signed, Keep keep) {
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  uint64_t sum = 0;
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i)
      if (keep(i, j)) sum += static_cast<uint64_t>(pp_bit(ua, ub, i, j, w, is_signed)) << (i + j);
  if (is_signed) sum += (uint64_t{1} << w) + (uint64_t{1} << (2 * w - 1));
  return wrap(static_cast<int64_t>(sum), 2 * w, is_signed);
}

}  // namespace gm
