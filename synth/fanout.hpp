// Fanout of a mapped netlist: how many cell input pins each net drives. High-fanout control (an
// enable or a write strobe broadcast to every PE) is what made the array miss its clock (issue 10);
// the array's RTL replicates such flops, and `synth --array` reports the worst fanout left so that a
// regression shows up as a number, not only as a slack.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "synth/liberty.hpp"

namespace gm {

struct FanoutReport {
  int max_cell_fanout = 0;   // the most cell input pins one cell-driven net reaches
  std::string max_cell_net;  // that net's name in the netlist
  int max_port_fanout = 0;   // the same for nets driven by an input port (the clock excluded)
  std::string max_port;      // that port bit
};

// Over module `top` of a Yosys `write_json` netlist mapped onto `lib`: clock pins of flip-flops
// (the pins their clocked_on reads) are not counted as loads. Throws std::runtime_error when `top`
// is missing or a cell is not in the library.
FanoutReport netlist_fanout(const nlohmann::json& netlist, const std::string& top, const Liberty& lib,
                            const std::string& clock_port);

}  // namespace gm
