// Any design as an evo gate netlist: the seed of `greenmac evolve --seed-from SPEC` (issue 14).
//
//   gm::evo::GateNetlist import_gate_netlist(const Spec& spec, const GateImportOptions& opt = {},
//                                            GateImportStats* stats = nullptr);
//
// returns the circuit of `spec` (any family: exact, trunc, bam, drum, ..., an `ext:` imported
// Verilog file, an `evo:` netlist) as a models/evo/gate_netlist.hpp netlist of w = spec.w and
// is_signed = spec.is_signed: its gates in topological order, only the gates some product bit reads
// (compacted), outputs y0..y(2w-1) the product bits, least significant first. Simulated with
// evo::BitSim it gives the design's products, as the design's Verilog computes them.
//
// How: the design's generated Verilog (rtl::generate_verilog, as `synth` and `gen` write it) goes
// through Yosys, which flattens it and maps it onto the two-input gates of a .gmnet file
// (synth/scripts/gates.ys: `synth -flatten`, `abc -g AND,NAND,OR,NOR,XOR,XNOR,ANDNOT,ORNOT`, which
// adds NOT by itself), and the gates of `write_json` are read back (gate_netlist_from_yosys_json).
// The result is cached under cache_dir()/gate-import, keyed by the Verilog, the script, the Yosys
// version and greenmac's build.
//
// Throws gm::UserError (one line) for w outside 2..8, a Yosys that is not there, and a design
// whose gates cannot be a netlist: a combinational loop, a cell that is no two-input gate (a
// flip-flop, a latch), a product bit left undriven (x or z). A failing Yosys run is
// std::runtime_error (the generated Verilog is greenmac's own; `ext:` files are checked first).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "models/evo/gate_netlist.hpp"
#include "models/spec.hpp"

namespace gm {

struct GateImportOptions {
  std::string yosys = "yosys";  // the program: a name looked up on PATH, or a path
  int timeout_s = 600;          // Yosys takes about 1 s for an 8-bit multiplier
  bool use_cache = true;        // false: always run Yosys (in a scratch directory), store nothing
};

struct GateImportStats {
  bool cached = false;  // the netlist came from the cache
  double seconds = 0;   // wall time of the whole import, cache look-up included
};

evo::GateNetlist import_gate_netlist(const Spec& spec, const GateImportOptions& opt = {},
                                     GateImportStats* stats = nullptr);

// The step after Yosys, on its own: module `top` of a `write_json` netlist holding only Yosys's
// internal gate cells ($_AND_, $_OR_, $_XOR_, $_NAND_, $_NOR_, $_XNOR_, $_ANDNOT_ = A & ~B,
// $_ORNOT_ = A | ~B, $_NOT_, $_BUF_), with exactly the ports a_i[w], b_i[w] (inputs) and y_o[2w]
// (output), as a netlist. Constant bits ("0", "1") become the constant nets; an output bit that
// is an operand bit or a constant needs no gate. `origin` names the design in error messages.
evo::GateNetlist gate_netlist_from_yosys_json(const nlohmann::json& netlist, const std::string& top, int w,
                                              bool is_signed, const std::string& origin);

}  // namespace gm
