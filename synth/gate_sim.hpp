// Zero-delay, cycle-based simulation of a mapped gate-level netlist (Yosys `write_json` of the
// netlist after technology mapping), for switching activity: toggles per net per clock cycle.
//
// Each cell is evaluated from its Liberty `function`s (liberty.hpp); flip-flops take their
// `next_state` at every clock edge (one clock; all flops share it). Simulation is bit-parallel: one
// 64-bit word holds 64 consecutive cycles of a net, so a flop is a one-bit shift of its D word.
// That needs a netlist without sequential feedback (a pipeline such as the registered multiplier
// wrapper); a loop is reported as an error.
//
// Zero delay: every net settles once per cycle, so glitches (hazard transitions inside a cycle) are
// not counted. Their power is left out of the "simulated" figures.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/gate_netlist.hpp"
#include "synth/gate_program.hpp"
#include "synth/liberty.hpp"

namespace gm {

struct PinActivity {
  std::string instance, pin;  // STA name: instance/pin
  double activity = 0;        // transitions per clock cycle
  double duty = 0;            // fraction of cycles at 1
};

struct PortActivity {
  std::string port;  // port bit as the netlist names it, e.g. a_i[3]
  double activity = 0, duty = 0;
};

struct GateSimResult {
  uint64_t cycles = 0;
  std::vector<PinActivity> pins;          // every cell pin except the clock pins
  std::vector<PortActivity> input_ports;  // data inputs (clock excluded)
  std::map<std::string, std::vector<uint64_t>> outputs;  // output bus -> value per cycle (if asked)
  double mean_net_activity = 0;           // over all non-constant, non-clock nets
  // Totals over the same nets and sampled periods. A zero-delay simulator has no glitches: both
  // totals are its toggles. The timed one (timed_sim.hpp) counts every transition inside a cycle as
  // timed and the settled-value changes as zero-delay; glitch_share = 1 - zero_delay / timed.
  bool timed = false;
  uint64_t timed_transitions = 0, zero_delay_transitions = 0;
  double glitch_share = 0;
};

// The interactive, cycle-by-cycle API of a gate-level simulator, so that a stimulus (the array's
// stream adapter) can drive either the zero-delay SeqGateSim or the timed TimedGateSim:
//
//     sim.set_input(port, bits); sim.settle();   // combinational logic from inputs and flop states
//     read sim.output(port);  sim.sample();      // count this cycle's values for the activity
//     sim.clock();                               // every flop takes its next_state
class CycleGateSim {
 public:
  virtual ~CycleGateSim() = default;
  // Port handle of a bus (its name without [k]); throws std::runtime_error for an unknown bus.
  virtual int port(const std::string& bus) const = 0;
  virtual int port_width(int port) const = 0;
  // Bit k of `bits` drives bus bit k (missing bits are 0).
  virtual void set_input(int port, const std::vector<uint8_t>& bits) = 0;
  virtual void set_input(int port, uint64_t value) = 0;
  virtual void settle() = 0;
  virtual std::vector<uint8_t> output(int port) const = 0;
  virtual bool output_bit(int port, int bit = 0) const = 0;
  virtual void sample() = 0;  // records this cycle's settled values (and, timed, its transitions)
  virtual void clock() = 0;
  // Activity over the sampled cycles: transitions between consecutive samples / (samples - 1).
  virtual GateSimResult activity() const = 0;
};

class GateSim {
 public:
  // Throws std::runtime_error when a cell is not in the library, is a latch or has no function, or
  // when the netlist has a combinational or sequential loop.
  GateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib, const std::string& clock_port);

  // `inputs`: bus name (a_i) -> value per cycle; every data input bus must be given, all of equal
  // length. Bit k of the value drives port bit bus[k]. With `record_outputs`, output buses are
  // recorded per cycle too.
  GateSimResult run(const std::map<std::string, std::vector<uint64_t>>& inputs, bool record_outputs = false) const;

 private:
  using PortBit = gate::PortBit;
  using Func = gate::Func;
  using Cell = gate::Cell;
  static constexpr int kStateVar = gate::kStateVar;

  std::vector<Cell> cells_;  // in evaluation order
  std::vector<PortBit> inputs_, outputs_;
  std::vector<bool> is_clock_;
  int nets_ = 2;  // 0 and 1 are the constants
};

}  // namespace gm

namespace gm {

// Cycle-by-cycle zero-delay simulation of a mapped netlist that may contain sequential feedback
// (enable flops, counters, FSMs: the systolic array). The caller drives it interactively, so a
// stimulus can react to the design's outputs in the same cycle (handshakes):
//
//     sim.set_input(port, bits); sim.settle();   // combinational logic from inputs and flop states
//     read sim.output(port);  sim.sample();      // count this cycle's values for the activity
//     sim.clock();                               // every flop takes its next_state
//
// Flops are sources of the combinational order; only a purely combinational loop is an error.
// Asynchronous clear/preset are applied as levels in settle(). Initial flop state is 0.
//
// Lanes: every net is a 64-bit word, and bit j of every word is an independent copy of the netlist
// ("lane" j), so up to 64 stimuli (e.g. 64 images through the same GEMM shapes) run in one pass.
// The CycleGateSim calls drive and read every lane alike (set_input broadcasts; output reads lane 0);
// set_input_lanes / output_lanes give each lane its own value. Toggle counts sum over the lanes
// (activity() is per lane and cycle); per-lane weighted totals (e.g. energy: sum over nets of
// weight x the net's transitions in lane j) come from take_lane_totals().
class SeqGateSim final : public CycleGateSim {
 public:
  static constexpr int kMaxLanes = 64;
  // lanes: 1..64 independent copies, lane j in bit j of every net's word.
  SeqGateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib, const std::string& clock_port,
             int lanes = 1);

  int port(const std::string& bus) const override;
  int port_width(int port) const override { return static_cast<int>(ports_[port].nets.size()); }
  void set_input(int port, const std::vector<uint8_t>& bits) override;
  void set_input(int port, uint64_t value) override;
  void settle() override;
  std::vector<uint8_t> output(int port) const override;
  bool output_bit(int port, int bit = 0) const override;
  void sample() override;  // records the settled values of every net for toggle counting
  void clock() override;
  // Per pin: transitions per cycle averaged over the lanes; zero_delay_transitions: summed over lanes.
  GateSimResult activity() const override;

  int lanes() const { return lanes_; }
  uint64_t lane_mask() const { return mask_; }
  // words[k]: bit k of the port, lane j in bit j (bits of lanes >= lanes() are ignored).
  void set_input_lanes(int port, const uint64_t* words);
  // Bit `bit` of the port in every lane (lane j in bit j; bits >= lanes() are 0).
  uint64_t output_lanes(int port, int bit) const;

  // Every entry of activity().pins with its net, in the same order (without running).
  struct SimPin {
    std::string instance, pin;
    int net = 0;
  };
  std::vector<SimPin> pins() const;
  int nets() const { return nets_; }
  // Total transitions of a net over the sampled periods, summed over the lanes.
  uint64_t net_toggles(int net) const { return toggles_[net]; }

  // Per-lane weighted transitions. Weights (one per net, two sets, e.g. energy per transition and
  // pins per net) must be set before the first sample(); then take_lane_totals() returns, for each
  // lane j, {sum_net a[net] x t_j(net), sum_net b[net] x t_j(net)} where t_j(net) is the net's
  // transitions in lane j since the previous take (or since the start), and restarts the count.
  // Every sample adds a[net] and b[net] to the totals of each lane whose bit of the net's toggle
  // word is set (nets without a toggle cost one XOR and a test; dense toggle words are added to
  // every lane times its bit, without a branch per lane).
  void set_lane_weights(std::vector<double> a, std::vector<double> b);
  std::vector<std::array<double, 2>> take_lane_totals();

  // Evaluation: compiled (default; synth/gate_program.hpp) or the Liberty expressions interpreted
  // cell by cell (the original evaluator, kept for the comparison in `greenmac bench gate-sim`).
  void set_compiled(bool on) { compiled_ = on; }
  size_t program_size() const { return comb_.size() + next_.size(); }

 private:
  using Func = gate::Func;
  using Cell = gate::Cell;
  static constexpr int kStateVar = gate::kStateVar;
  using Port = gate::BusPort;
  uint64_t eval(const Func& f, uint64_t state) const;

  std::vector<Cell> cells_;  // combinational order (flops are sources)
  std::vector<Port> ports_;
  std::map<std::string, int> port_index_;
  std::vector<bool> is_clock_;
  int lanes_ = 1;
  uint64_t mask_ = 1;
  // One word per slot, lane j in bit j: the nets, then the flop states (slot nets_ + k), then the
  // compiled program's temporaries.
  std::vector<uint64_t> net_;
  int flops_ = 0;
  bool compiled_ = true;
  std::vector<gate::Ins> comb_;  // settle(): every cell output from inputs and flop states
  std::vector<gate::Ins> next_;  // clock(): every flop's next state into a temporary ...
  std::vector<std::pair<uint32_t, uint32_t>> latch_;  // ... then (state slot, next slot) copied
  std::vector<uint64_t> last_;
  std::vector<uint64_t> toggles_, ones_;
  uint64_t samples_ = 0;
  mutable std::vector<uint64_t> in_;
  int nets_ = 2;
  // Per-lane weighted counts (with set_lane_weights).
  std::vector<std::array<double, 2>> weights_;  // per net: {a, b}
  std::array<double, kMaxLanes> lane_a_{}, lane_b_{};  // per-lane totals since the last take
};

}  // namespace gm
