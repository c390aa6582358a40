// evo:lib=LIBDIR,id=ID: an evolved multiplier, stored as a gate netlist in a library folder
// (models/evo/library.hpp; the format and the id in docs/families/evo.md).
//
// The design is the netlist in LIBDIR/ID.gmnet, whose content id must equal ID; its width and
// signedness come from the file's header (a spec that says otherwise is refused). The model is an
// interpreter of that netlist: the bit-parallel simulator (models/evo/bit_sim.hpp) evaluates every
// gate on all 2^(2w) operand pairs once, and the model reads the resulting table. It never sees
// the Verilog, which generator/families/evo.cpp builds from the same file; verification compares
// the two.
#include "models/errors.hpp"
#include "models/evo/library.hpp"
#include "models/tool_names.hpp"

namespace gm {
namespace {

// The checked netlist of the spec; every problem as a one-line SpecError.
evo::GateNetlist spec_netlist(const Spec& spec) {
  const std::string& lib = spec.get_str("lib");  // `shipped` is resolved when the spec is parsed
  if (auto problem = path_problem("lib", lib); !problem.empty()) throw SpecError("evo: " + problem);
  try {
    return evo::read_library_netlist(lib, spec.get_str("id"));
  } catch (const UserError& e) {
    throw SpecError(std::string("evo: ") + e.what());
  }
}

OperandShape netlist_shape(const Spec& spec) {
  const evo::GateNetlist n = spec_netlist(spec);
  return {.w = n.w, .is_signed = n.is_signed};
}

ModelFn interpreted_netlist(const Spec& spec) { return evo::netlist_model(spec_netlist(spec)); }

const FamilyRegistrar evo_family({
    .name = "evo",
    .summary = "an evolved gate netlist from a library folder (LIBDIR/ID.gmnet); model = an interpreter of it",
    .reference = "Cartesian genetic programming, as in EvoApproxLib (Mrazek et al., DATE 2017); docs/families/evo.md",
    .signed_mode = "as the netlist computes it; w and s come from the file's header",
    .params = {{.key = "lib", .help = "library folder that holds ID.gmnet, or `shipped` (greenmac's own, models/evo/lib)",
                .required = true, .is_text = true, .is_path = true, .path_name = evo::kShippedLibrary, .path_name_data = evo::kShippedLibraryData, .in_name = false},
               {.key = "id", .help = "content id of the circuit (12 hex digits)", .required = true, .is_text = true,
                .in_name = false}},
    .check = nullptr,
    .make_model = interpreted_netlist,
    .default_points = {},
    .in_sweeps = false,
    .name_tag = [](const Spec& spec) { return "h" + spec.get_str("id"); },
    .operand_shape = netlist_shape,
});

}  // namespace
}  // namespace gm
