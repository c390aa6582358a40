// A mapped gate-level netlist (Yosys `write_json` after technology mapping) read for simulation:
// its ports bit by bit and its cells bound to their Liberty functions. Written once here for the two
// gate simulators (gate_sim.hpp): the bit-parallel one for pipelines and the cycle-by-cycle one for
// designs with feedback; each then orders the cells its own way (evaluation_order).
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "synth/liberty.hpp"

namespace gm::gate {

// A variable of a cell function: a net, or the flop's state (IQ) or its complement (IQN).
inline constexpr int kStateVar = -1, kStateNotVar = -2;

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
  int state = -1;                                 // flops: index among the flops, in netlist order
};

// One bit of a port. After `splitnets -ports` every bit is its own port "bus[k]"; a port that is
// still a bus gives one PortBit per bit.
struct PortBit {
  std::string name;       // as the netlist names the bit: a_i[3]
  std::string bus;        // a_i
  int bit = 0;            // 3
  int net = 0;
  std::string direction;  // input | output | inout
  bool clock = false;     // the bus is the clock port
};

struct Netlist {
  std::vector<PortBit> ports;  // in the netlist's order
  std::vector<Cell> cells;     // in the netlist's order
  int nets = 2;                // net ids are 0 .. nets-1; 0 and 1 are the constants
};

// Throws std::runtime_error when `top` is missing, a cell is not in the library, is a latch, has a
// multi-bit pin, or has a function that reads an unconnected pin or an output without a function.
Netlist load_netlist(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                     const std::string& clock_port);

// Kahn's algorithm: an order in which every cell comes after the drivers of the nets it reads
// (`reads(cell)` lists the functions whose inputs count). Shorter than `cells` when reads loop.
std::vector<int> evaluation_order(const std::vector<Cell>& cells, int nets,
                                  const std::function<std::vector<const Func*>(const Cell&)>& reads);

// A port as the simulators address it: its bits' nets by bit index. gather_ports collects the
// netlist's bits per bus (the clock port excluded: its nets are marked in is_clock instead).
struct BusPort {
  std::string bus;
  bool input = false;
  std::vector<int> nets;               // by bit index
  std::vector<std::string> bit_names;  // netlist names (w_data_i[3])
};
struct BusPorts {
  std::vector<BusPort> ports;
  std::map<std::string, int> index;  // by bus name
};
BusPorts gather_ports(const std::vector<PortBit>& bits, std::vector<bool>& is_clock);

}  // namespace gm::gate
