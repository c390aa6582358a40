// Switching activity of a gate netlist under an operand stream: how often each gate's output
// toggles when the pairs are applied one per cycle, in order (zero delay, no glitches). The cost
// side of the evolutionary search: the multiplier's dynamic energy is, to first order, the sum over
// its cells of transitions x energy per transition, and the stream is the one the array's PE really
// sees (the weight stays while activations pass, models/dnn/pe_stream.hpp).
//
// The stream is packed once into bit planes, 64 consecutive pairs per word, and every evaluation
// simulates the active gates on those words (gate_eval.hpp), so a stream of 4,096 pairs costs 64
// words per gate: far less than the 1,024-word exhaustive simulation of an 8-bit candidate.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "models/evo/gate_netlist.hpp"

namespace gm::evo {

class StreamActivity {
 public:
  // pairs: (a, b) operand values, read in w bits (their low w bits enter the multiplier). At most
  // kMaxPairs are kept (the first ones). An empty stream gives zero activity everywhere.
  static constexpr size_t kMaxPairs = 4096;
  StreamActivity(const std::vector<std::pair<int64_t, int64_t>>& pairs, int w);

  // toggles[k]: transitions of gate k's output over the stream divided by the transitions counted
  // (pairs - 1), i.e. the mean transitions per cycle; 0 for gates no output reads.
  void toggle_rates(const GateNetlist& n, std::vector<double>& toggles);

  size_t pairs() const { return pairs_; }

 private:
  int w_;
  size_t pairs_ = 0, words_ = 0;
  std::vector<uint64_t> inputs_;  // net order: a0..a(w-1), b0..b(w-1); words_ words each
  std::vector<uint64_t> scratch_;
  std::vector<uint8_t> active_;
};

}  // namespace gm::evo
