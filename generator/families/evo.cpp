// evo:lib=LIBDIR,id=ID: an evolved gate netlist (definition and format in models/families/evo.cpp
// and docs/families/evo.md).
//
// Structure: the gates of LIBDIR/ID.gmnet, one `assign` each, in the file's order, each net named
// after its gate and op (`g12_xor` for the line `g12 = xor ...`), so that a line of the RTL is found
// in the file by its number. BUF is a wire (its gate makes no net); gates with a constant input fold
// as the builder folds them (and gates that no output reads are dropped), which changes no output.
#include "generator/gates/netlist.hpp"
#include "generator/registry.hpp"
#include "models/evo/library.hpp"

namespace gm::rtl {
namespace {

using evo::GateOp;

Net gate_net(Netlist& nl, const evo::Gate& g, Net x, Net y, const std::string& name) {
  switch (g.op) {
    case GateOp::kAnd: return nl.and2(x, y, name);
    case GateOp::kOr: return nl.or2(x, y, name);
    case GateOp::kXor: return nl.xor2(x, y, name);
    case GateOp::kNand: return nl.nand2(x, y, name);
    case GateOp::kNor: return nl.nor2(x, y, name);
    case GateOp::kXnor: return nl.xnor2(x, y, name);
    case GateOp::kAndNot: return nl.andnot2(x, y, name);
    case GateOp::kOrNot: return nl.ornot2(x, y, name);
    case GateOp::kNot: return nl.not1(x, name);
    case GateOp::kBuf: return x;
  }
  throw std::logic_error("evo: unknown gate op");
}

std::string generate_evo(const Spec& spec, const std::vector<std::string>& header) {
  const std::string& id = spec.get_str("id");
  const evo::GateNetlist n = evo::read_library_netlist(spec.get_str("lib"), id);
  if (n.w != spec.w || n.is_signed != spec.is_signed)
    throw std::logic_error("evo: the netlist's w and s differ from the parsed spec's");
  Netlist nl(n.w, n.w, 2 * n.w);
  // Every net of the file, in its index space (models/evo/gate_netlist.hpp).
  std::vector<Net> net(n.net_count());
  net[evo::GateNetlist::kConst0] = Netlist::zero();
  net[evo::GateNetlist::kConst1] = Netlist::one();
  for (int i = 0; i < n.w; ++i) {
    net[n.net_a(i)] = nl.a(i);
    net[n.net_b(i)] = nl.b(i);
  }
  nl.section("the gates of " + id + ".gmnet in its order; net g<k>_<op> is the line g<k> = <op> ...");
  for (size_t k = 0; k < n.gates.size(); ++k) {
    const evo::Gate& g = n.gates[k];
    net[n.net_of_gate(k)] = gate_net(nl, g, net[g.in0], net[g.in1], "g" + std::to_string(k) + "_" + evo::op_name(g.op));
  }
  for (int i = 0; i < 2 * n.w; ++i) nl.set_output(i, net[n.outputs[i]]);
  return nl.emit(spec.name(), header);
}

const GeneratorRegistrar evo_gen("evo", generate_evo);

}  // namespace
}  // namespace gm::rtl
