// The simulated power of one multiplier split between the multiplier's own cells and its register
// wrapper's flip-flops (issue 11: the wrapper is reported apart from the multiplier).
//
// OpenSTA's report_power sums its per-instance power (internal and leakage of the instance, and the
// switching power of the nets the instance drives) into groups by the instance's Liberty cell:
// Sequential (flip-flops and latches), Combinational, Macro and Pad. In the wrapper's netlist every
// flip-flop is a wrapper register (the generated multipliers are combinational; wrapper_flops counts
// them so a design with its own flops shows), so Sequential is the wrapper and Combinational the
// multiplier (with the few buffers insbuf adds at the ports). Note the attribution of a net's
// switching power to its driver: the operand registers' outputs charging the multiplier's input
// pins count as wrapper power; the multiplier's outputs charging the output registers' D pins count
// as multiplier power.
#pragma once

#include <string>

#include "synth/mult_synth.hpp"

namespace gm::flow {

// The "<group>" row after "GM_POWER <marker>" in the log, in mW (group: Sequential, Combinational,
// Macro or Pad). Throws std::runtime_error when the row is missing.
PowerFigures parse_power_group(const std::string& log, const std::string& marker, const std::string& group);

}  // namespace gm::flow
