// Switching activity of a gate netlist under an operand stream: how often each gate's output
// toggles when the pairs are applied one per cycle, in order. The cost side of the evolutionary
// search: the multiplier's dynamic energy is, to first order, the sum over its cells of transitions
// x energy per transition, and the stream is the one the array's PE really sees (the weight stays
// while activations pass, models/dnn/pe_stream.hpp).
//
// The stream is packed once into bit planes, 64 consecutive pairs per word, and every evaluation
// simulates the active gates on those words (gate_eval.hpp), so a stream of 4,096 pairs costs 64
// words per gate: far less than the 1,024-word exhaustive simulation of an 8-bit candidate.
//
// Two delay models (ActivityDelay):
// - zero: each gate's output changes at most once per pair, to its settled value (no glitches);
// - unit: every gate takes one time step. After the operands change, gate k is recomputed at steps
//   1 .. level(k) (its longest path from an operand) from its inputs' values one step before, so a
//   gate whose inputs arrive along paths of different length can switch several times in one
//   cycle: glitches, the unit-delay model of power estimation (surveyed by Najm, IEEE TVLSI 2(4),
//   1994) as a first-order stand-in for a real netlist's. It counts every pulse (transport delay);
//   a real cell filters pulses shorter than its own delay. It costs sum(level(k) + 1) gate
//   evaluations per word instead of one per gate.
// In this flow's timed simulation 35 to 45 % of an evolved multiplier's transitions are glitches,
// which the zero delay does not see; yet measured on 23 designs, the zero-delay estimate follows
// the evolved circuits' real energy more closely (3 % against 7 % spread), so zero is the default
// of `greenmac evolve` (docs/evolve.md, "Zero or unit delay").
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/evo/gate_netlist.hpp"

namespace gm::evo {

enum class ActivityDelay { kZero, kUnit };

// "zero" | "unit"; false for anything else.
bool activity_delay_from_name(const std::string& name, ActivityDelay& d);
const char* activity_delay_name(ActivityDelay d);

class StreamActivity {
 public:
  // pairs: (a, b) operand values, read in w bits (their low w bits enter the multiplier). At most
  // kMaxPairs are kept (the first ones). An empty stream gives zero activity everywhere.
  static constexpr size_t kMaxPairs = 4096;
  StreamActivity(const std::vector<std::pair<int64_t, int64_t>>& pairs, int w,
                 ActivityDelay delay = ActivityDelay::kZero);

  // toggles[k]: transitions of gate k's output over the stream divided by the transitions counted
  // (pairs - 1), i.e. the mean transitions per cycle, glitches included under the unit delay; 0
  // for gates no output reads.
  void toggle_rates(const GateNetlist& n, std::vector<double>& toggles);

  size_t pairs() const { return pairs_; }
  ActivityDelay delay() const { return delay_; }

 private:
  // Settled values of every active gate under every pair into scratch_ (zero-delay counts too).
  void settle(const GateNetlist& n, std::vector<double>* zero_delay_toggles);
  void unit_delay_toggles(const GateNetlist& n, std::vector<double>& toggles);

  int w_;
  ActivityDelay delay_;
  size_t pairs_ = 0, words_ = 0;
  std::vector<uint64_t> inputs_;  // net order: a0..a(w-1), b0..b(w-1); words_ words each
  std::vector<uint64_t> scratch_;            // settled value of each net, words_ words each
  std::vector<uint64_t> before_, after_;     // unit delay: gate values one step apart
  std::vector<uint32_t> level_;              // unit delay: longest path from an operand, per gate
  std::vector<uint64_t> counts_;             // unit delay: transitions per gate
  std::vector<uint8_t> active_;
};

}  // namespace gm::evo
