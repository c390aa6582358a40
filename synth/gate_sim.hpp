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

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "synth/gate_netlist.hpp"
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

// Cycle-by-cycle (not bit-parallel) zero-delay simulation of a mapped netlist that may contain
// sequential feedback (enable flops, counters, FSMs: the systolic array). The caller drives it
// interactively, so a stimulus can react to the design's outputs in the same cycle (handshakes):
//
//     sim.set_input(port, bits); sim.settle();   // combinational logic from inputs and flop states
//     read sim.output(port);  sim.sample();      // count this cycle's values for the activity
//     sim.clock();                               // every flop takes its next_state
//
// Flops are sources of the combinational order; only a purely combinational loop is an error.
// Asynchronous clear/preset are applied as levels in settle(). Initial flop state is 0.
class SeqGateSim final : public CycleGateSim {
 public:
  SeqGateSim(const nlohmann::json& netlist, const std::string& top, const Liberty& lib, const std::string& clock_port);

  int port(const std::string& bus) const override;
  int port_width(int port) const override { return static_cast<int>(ports_[port].nets.size()); }
  void set_input(int port, const std::vector<uint8_t>& bits) override;
  void set_input(int port, uint64_t value) override;
  void settle() override;
  std::vector<uint8_t> output(int port) const override;
  bool output_bit(int port, int bit = 0) const override;
  void sample() override;  // records the settled values of every net for toggle counting
  void clock() override;
  GateSimResult activity() const override;

 private:
  using Func = gate::Func;
  using Cell = gate::Cell;
  static constexpr int kStateVar = gate::kStateVar;
  struct Port {
    std::string bus;
    bool input = false;
    std::vector<int> nets;                  // by bit index
    std::vector<std::string> bit_names;     // netlist names (w_data_i[3])
  };
  uint64_t eval(const Func& f, uint64_t state) const;

  std::vector<Cell> cells_;  // combinational order (flops are sources)
  std::vector<Port> ports_;
  std::map<std::string, int> port_index_;
  std::vector<bool> is_clock_;
  std::vector<uint64_t> net_;    // 0 or ~0 per net
  std::vector<uint64_t> state_;  // flop states, 0 or ~0
  std::vector<uint8_t> last_;
  std::vector<uint64_t> toggles_, ones_;
  uint64_t samples_ = 0;
  mutable std::vector<uint64_t> in_;
  int nets_ = 2;
};

}  // namespace gm
