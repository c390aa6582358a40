// A small SDF (Standard Delay Format, IEEE 1497) reader: the per-instance IOPATH delays that
// OpenSTA's `write_sdf` gives a mapped netlist, for the timed gate simulation (timed_sim.hpp).
//
// Read: TIMESCALE, DIVIDER, CELL / INSTANCE, and (DELAY (ABSOLUTE|INCREMENT (IOPATH in out (rise) (fall)))).
// An edge on the input, (posedge CLK), is read as the pin CLK. A value triple (min:typ:max) gives
// typ, or the max when typ is empty (OpenSTA writes "(0.077::0.077)"). INTERCONNECT delays are not
// applied (OpenSTA writes 0 for them without parasitics); the largest one is kept so that a caller
// can tell. TIMINGCHECK and anything else is skipped.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gm {

struct SdfArc {
  std::string from, to;  // cell pins
  int64_t rise_ps = 0, fall_ps = 0;  // output rising / falling, rounded to whole picoseconds
};

struct SdfDelays {
  // Instance path -> arcs. The path is named as Yosys's `flatten` names the cell: the SDF's
  // components unescaped and joined with '.' ("g_col\[0\]\.u_lane/_12_" -> "g_col[0].u_lane._12_"),
  // so a flattened netlist's cell names are the keys, dots inside escaped names included.
  std::map<std::string, std::vector<SdfArc>> instances;
  double max_interconnect_ps = 0;                        // not applied
  int64_t max_delay_ps() const;
};

// Throws std::runtime_error naming the line when the text is not SDF this reader understands.
SdfDelays parse_sdf(const std::string& text, const std::string& origin = "sdf");

}  // namespace gm
