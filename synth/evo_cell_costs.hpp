// The area of each gate op of the evolved netlists (models/evo/gate_netlist.hpp) in a standard-cell
// library: the cost table of the evolutionary search (models/evo/cgp.hpp).
//
// Every combinational cell of one or two inputs is read from the Liberty, its `function` evaluated on
// the four input patterns. An op costs its cheapest realisation: one cell with the same truth table
// (inputs in either order), or one cell with inverters on some of its inputs or its output (OSU018,
// for example, has no AND-with-inverted-input cell, so x & ~y is NOR2(~x, y): an INV and a NOR2).
// BUF costs nothing here (the search never draws it; an imported netlist's buffers are wires).
#pragma once

#include <filesystem>

#include "models/evo/cgp.hpp"

namespace gm {

// Throws UserError when the library lacks an inverter or some op has no realisation.
evo::GateCosts evo_gate_costs(const std::filesystem::path& liberty);

}  // namespace gm
