// The partial-product matrix as an arithmetic definition, for the models of the families that drop
// or replace partial-product bits (trunc, bam, comp42).
//
// Unsigned: bit (i, j) = a_i & b_j with weight 2^(i+j), and a*b = sum of all bits.
// Signed (modified Baugh-Wooley): bit (i, j) is a_i & b_j, inverted when exactly one of i, j is the
// sign position w-1; two constant ones at columns w and 2w-1 complete the product:
//   a*b = sum_(i,j) bit(i,j) 2^(i+j) + 2^w + 2^(2w-1)   (mod 2^(2w)).
// The constants belong to the sign handling, not to any cell, so approximate families keep them.
//
// The zero-safe variant (bam and trunc, z=1) starts from the two's-complement definition instead:
// with a = sum_i sigma_i a_i 2^i, sigma_(w-1) = -1 and sigma_i = +1 below,
//   a*b = sum_(i,j) sigma_i sigma_j a_i b_j 2^(i+j),
// one signed term per cell, no constants. Dropping a cell drops its term; every term holds a_i b_j,
// so a zero operand gives zero whatever is dropped (docs/families/bam.md, "Zero-safe variant").
#pragma once

#include <cstdint>
#include <string>

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

// Sum of the kept cells' two's-complement terms sigma_i sigma_j a_i b_j 2^(i+j), as the 2w-bit
// output word (the zero-safe variant; no Baugh-Wooley matrix, no constants).
template <class Keep>
int64_t signed_term_sum(int64_t a, int64_t b, int w, Keep keep) {
  const uint64_t ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  int64_t sum = 0;
  for (int j = 0; j < w; ++j)
    for (int i = 0; i < w; ++i) {
      if (!keep(i, j) || !((ua >> i) & 1) || !((ub >> j) & 1)) continue;
      const bool negative = (i == w - 1) != (j == w - 1);  // sigma_i sigma_j = -1
      sum += (negative ? -1 : 1) * (int64_t{1} << (i + j));
    }
  return wrap(sum, 2 * w, true);
}

// The key z of bam and trunc: 1 selects the zero-safe variant.
inline const char* const kZeroSafeHelp =
    "1: zero-safe signed variant, x*0 = 0*x = 0: a dropped inverted cell takes its share of the "
    "Baugh-Wooley constants with it (s=1 only)";

// "" when z fits the spec, else the problem: an unsigned matrix has no Baugh-Wooley constants and
// already gives x*0 = 0, so z=1 would be a second name for the z=0 design.
inline std::string zero_safe_problem(const Spec& spec) {
  if (spec.get("z") && !spec.is_signed)
    return "z=1 is for signed designs (s=1): an unsigned design keeps x*0 = 0 already; drop z or set s=1";
  return "";
}

}  // namespace gm
