// The GateSimResult of a cycle-by-cycle simulation (SeqGateSim, TimedGateSim) from its per-net
// counts: one bookkeeping for both simulators, so the zero-delay and the timed activity are reported
// over the same pins and nets.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "synth/gate_sim.hpp"

namespace gm {

// Per-net counts over the sampled cycles, indexed by net (0 and 1 are the constants).
struct CycleCounts {
  uint64_t samples = 0;                           // sampled cycles (>= 2 for an activity)
  const std::vector<uint64_t>* transitions;       // per net: the transitions the activity counts
  const std::vector<uint64_t>* zero_delay;        // per net: settled-value changes (== transitions at zero delay)
  const std::vector<bool>* is_clock;              // per net: a clock net, left out
  std::function<uint64_t(int net)> ones;          // sampled cycles the net was 1
  bool timed = false;
};

class CycleActivity {
 public:
  // Throws std::runtime_error for fewer than 2 sampled cycles.
  explicit CycleActivity(CycleCounts counts);
  void pin(const std::string& instance, const std::string& pin, int net);  // a cell pin (clock pins skipped)
  void input(const std::string& bit_name, int net);                        // a data input port bit
  void driven(int net);                                                    // a net a cell output drives
  GateSimResult finish();

 private:
  double activity(int net) const;
  double duty(int net) const;
  void add(int net);
  CycleCounts c_;
  GateSimResult res_;
  std::vector<bool> seen_;
  double sum_ = 0;
  int counted_ = 0;
};

}  // namespace gm
