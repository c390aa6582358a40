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

#include "generator/liberty.hpp"

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
  struct PortBit {
    std::string name, bus;
    int bit;
    int net;
  };
  // A variable of a cell function: a net, or the flop's state (IQ) or its complement (IQN).
  static constexpr int kStateVar = -1, kStateNotVar = -2;
  struct Func {
    const LibExpr* expr = nullptr;
    std::vector<int> vars;  // per expr var: net id, kStateVar or kStateNotVar
  };
  struct Cell {
    std::string name;
    const LibCell* lib = nullptr;
    std::vector<std::pair<std::string, int>> pins;  // pin name -> net, in the order of the netlist
    std::vector<std::pair<int, Func>> outs;         // driven net, its function
    bool flop = false;
    Func next_state, clear, preset;                 // flops only
  };

  std::vector<Cell> cells_;  // in evaluation order
  std::vector<PortBit> inputs_, outputs_;
  std::vector<bool> is_clock_;
  int nets_ = 2;  // 0 and 1 are the constants
};

}  // namespace gm
