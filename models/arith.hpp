// Small arithmetic helpers shared by the models. Models are written from the published arithmetic
// definitions; these helpers only do the bookkeeping that every definition needs.
#pragma once

#include <cstdint>
#include <functional>

#include "models/spec.hpp"

namespace gm {

// The value of the low `bits` bits of v, read as signed two's complement or unsigned.
inline int64_t wrap(int64_t v, int bits, bool is_signed) {
  const uint64_t mask = (bits >= 64) ? ~0ull : ((1ull << bits) - 1);
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (is_signed && bits < 64 && (u >> (bits - 1)) & 1) u |= ~mask;
  return static_cast<int64_t>(u);
}

// Index of the most significant set bit; -1 for 0.
inline int leading_one(uint64_t v) { return v == 0 ? -1 : 63 - __builtin_clzll(v); }

inline int64_t operand_min(int w, bool is_signed) { return is_signed ? -(int64_t{1} << (w - 1)) : 0; }
inline int64_t operand_max(int w, bool is_signed) {
  return is_signed ? (int64_t{1} << (w - 1)) - 1 : (int64_t{1} << w) - 1;
}

// Sign-magnitude wrapping used by the operand-transform families (DRUM, Mitchell, RoBA, ETM, UDM):
// multiply |a| and |b| (w-bit unsigned magnitudes; |-2^(w-1)| = 2^(w-1) fits) with the unsigned
// approximate core, negate when the signs differ, and keep the 2w-bit output word.
inline ModelFn sign_magnitude(const Spec& spec, std::function<uint64_t(uint64_t, uint64_t)> core) {
  const int w = spec.w;
  const bool s = spec.is_signed;
  return [w, s, core](int64_t a, int64_t b) -> int64_t {
    if (!s) return wrap(static_cast<int64_t>(core(static_cast<uint64_t>(a), static_cast<uint64_t>(b))),
                        2 * w, false);
    const bool neg = (a < 0) != (b < 0);
    const uint64_t m = core(static_cast<uint64_t>(a < 0 ? -a : a), static_cast<uint64_t>(b < 0 ? -b : b));
    const int64_t v = neg ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
    return wrap(v, 2 * w, true);
  };
}

}  // namespace gm
