#include "cli/evolve/seed_netlist.hpp"

#include "models/errors.hpp"
#include "models/evo/library.hpp"
#include "models/spec.hpp"
#include "synth/gate_import.hpp"

namespace gm {

evo::GateNetlist seed_netlist(const std::string& spec_text, int w, bool is_signed) {
  const Spec spec = parse_spec(spec_text);
  if (spec.w != w || spec.is_signed != is_signed)
    throw UserError("--seed-from " + spec_text + " has w=" + std::to_string(spec.w) + ",s=" +
                    (spec.is_signed ? "1" : "0") + " but the search is for --w " + std::to_string(w) + " --s " +
                    (is_signed ? "1" : "0") + "; give a seed design of the same width and signedness");
  // An evolved circuit continues as it is stored; anything else is mapped onto the gates by Yosys.
  if (spec.family == "evo") return evo::read_library_netlist(spec.get_str("lib"), spec.get_str("id"));
  return import_gate_netlist(spec);
}

}  // namespace gm
