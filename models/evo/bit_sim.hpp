// Bit-parallel simulation of a gate netlist on every operand pair: the truth table of an evolved
// multiplier, computed 64 pairs to a uint64_t word.
//
// Pair k = (a_bits << w) | b_bits, the order of the exhaustive PairStream and of product tables.
// Over k, operand bit b_i is bit i of k and a_i is bit w+i, so each input bit's words are a fixed
// pattern (0xaaaa... for bit 0, ..., whole words of ones and zeros for bits >= 6), made once per
// width. The gates are evaluated in blocks of words that stay in the L1 cache, only the gates some
// output depends on, and the output words are turned into products four pairs at a time (a 16-entry
// table spreads four bits into four 16-bit lanes).
//
// A simulator object keeps its buffers between calls: after the first call at a width it allocates
// nothing. The search calls it millions of times; one object per thread.
//
// Measured once (a timing loop, 2026-12-02; a timed unit test does not belong in the suite, and
// `greenmac bench evolve` is to report it; the
// Release build, -O3 without -march, one core of the 2-core machine while two other searches ran):
// the signed 8-bit array multiplier of the tests (784 gates, 757 active), all 65,536 pairs: 1,350
// evaluations/s with products() (89 M pairs/s) and 2,160/s with planes() alone; 570 to 700 and 830
// to 920/s while a build also ran. Much of the gap is the transposition into products; a search
// that compares bit planes can skip it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/evo/gate_netlist.hpp"

namespace gm::evo {

class BitSim {
 public:
  // The product of every pair, read as signed (sign-extended) when n.is_signed: `out` is resized
  // to 2^(2w) entries, out[(a_bits << w) | b_bits].
  void products(const GateNetlist& n, std::vector<int64_t>& out);

  // Only the product bits: planes[i * words + t] holds bit i of the products of pairs 64t..64t+63
  // (words = max(1, 2^(2w) / 64)); for w = 2 only the low 16 bits of the one word are pairs.
  // Cheaper than products() when the caller compares bit planes.
  void planes(const GateNetlist& n, std::vector<uint64_t>& planes);

  static size_t words(int w) { return std::max<size_t>(1, (size_t{1} << (2 * w)) / 64); }

 private:
  void prepare(const GateNetlist& n);
  template <size_t kBlock>
  void run_blocks(const GateNetlist& n, std::vector<uint64_t>& planes);

  int w_ = 0;
  std::vector<uint64_t> inputs_;   // input bit j (b0..b(w-1), then a0..a(w-1)): words() words each
  std::vector<uint64_t> scratch_;  // one block of words per net
  std::vector<uint8_t> active_;
  std::vector<uint32_t> order_;    // the active gates, in netlist order
  std::vector<uint64_t> planes_;
};

}  // namespace gm::evo
