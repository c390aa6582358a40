// Operand-pair streams: every pair (exhaustive) or corner cases followed by seeded uniform random
// pairs. Shared by the Verilator harness, the Icarus flow and the metrics so that all of them see
// the same pairs for the same settings.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "models/arith.hpp"

namespace gm {

inline constexpr int kMaxExhaustiveWidth = 12;
inline constexpr uint64_t kDefaultRandomPairs = 10'000'000;

// Pairs are w-bit operand patterns (0 .. 2^w-1); a signed consumer reads them with wrap(v, w, true).
class PairStream {
 public:
  // Exhaustive when random_pairs == 0, else corner cases then random pairs up to random_pairs in all.
  PairStream(int w, uint64_t random_pairs, uint64_t seed)
      : w_(w), random_(random_pairs), rng_(seed), dist_(0, (uint64_t{1} << w) - 1) {
    if (random_) {
      const uint64_t top = uint64_t{1} << w, half = top >> 1;
      // 0, 1, 2, all ones (-1), most negative, most positive signed, and their neighbours.
      corners_ = {0, 1, 2, top - 1, top - 2, half, half - 1, half + 1};
    }
  }

  bool exhaustive() const { return random_ == 0; }
  uint64_t total() const { return random_ ? random_ : (uint64_t{1} << w_) * (uint64_t{1} << w_); }

  // Pair number k (0 <= k < total()), to be called with k = 0, 1, 2, ... in order.
  void pair(uint64_t k, uint64_t& a, uint64_t& b) {
    if (!random_) {
      a = k >> w_;
      b = k & ((uint64_t{1} << w_) - 1);
      return;
    }
    const uint64_t nc = corners_.size() * corners_.size();
    if (k < nc) {
      a = corners_[k / corners_.size()];
      b = corners_[k % corners_.size()];
      return;
    }
    a = dist_(rng_);
    b = dist_(rng_);
  }

 private:
  int w_;
  uint64_t random_;
  std::mt19937_64 rng_;
  std::uniform_int_distribution<uint64_t> dist_;
  std::vector<uint64_t> corners_;
};

// The w-bit pattern of an operand, as it is driven onto a port.
inline uint64_t operand_bits(int64_t v, int w) { return static_cast<uint64_t>(v) & ((uint64_t{1} << w) - 1); }

// The index of a pair in a product table of every pair: (a_bits << w) | b_bits, the exhaustive
// stream's order.
inline uint64_t pair_index(int64_t a, int64_t b, int w) { return (operand_bits(a, w) << w) | operand_bits(b, w); }

}  // namespace gm
