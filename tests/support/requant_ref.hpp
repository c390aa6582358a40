// The output stage of docs/quantization.md written out independently for tests (128-bit arithmetic,
// explicit floor division), so that expected values never come from the code under test.
#pragma once

#include <cstdint>

#include "models/golden_gemm.hpp"  // OutParams (a plain struct)

namespace gm::test {

inline int64_t wrap_bits(int64_t v, int bits) {
  const __int128 mod = static_cast<__int128>(1) << bits, half = mod / 2;
  __int128 r = (static_cast<__int128>(v) + half) % mod;
  if (r < 0) r += mod;
  return static_cast<int64_t>(r - half);
}

// t = wrap32(s + bias); v = floor((t * m0 + 2^(shift-1)) / 2^shift); clamp to [out_min, out_max].
inline int64_t requant_ref(int64_t s, const OutParams& p) {
  const int64_t t = wrap_bits(wrap_bits(s, 32) + p.bias, 32);
  const __int128 num = static_cast<__int128>(t) * p.m0 + (static_cast<__int128>(1) << (p.shift - 1));
  const __int128 den = static_cast<__int128>(1) << p.shift;
  __int128 q = num / den;
  if (num % den != 0 && num < 0) --q;  // C++ division truncates; floor for negatives
  const int64_t v = static_cast<int64_t>(q);
  return v < p.out_min ? p.out_min : v > p.out_max ? p.out_max : v;
}

}  // namespace gm::test
