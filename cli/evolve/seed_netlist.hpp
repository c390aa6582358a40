// The gate netlist a search starts from: an `evo` design's stored netlist as it is, any other
// design synthesized by Yosys onto two-input gates (synth/gate_import.hpp).
#pragma once

#include <string>

#include "models/evo/gate_netlist.hpp"

namespace gm {

// Throws UserError when the spec is bad, its width or signedness is not (w, is_signed), or the
// import fails.
evo::GateNetlist seed_netlist(const std::string& spec_text, int w, bool is_signed);

}  // namespace gm
