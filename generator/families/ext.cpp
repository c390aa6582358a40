// ext: wrap a third-party combinational multiplier so that it goes through every flow like a native
// design. The generated file holds the user's file verbatim followed by a wrapper module named
// after the spec, with greenmac's ports a_i, b_i, y_o.
//
// The module is checked by Yosys before anything is generated (tb/ext_table.cpp registers that
// check with the registry), and its model is its simulated truth table (also tb/ext_table.cpp).
#include <sstream>

#include "models/files.hpp"
#include "generator/registry.hpp"

namespace gm::rtl {
namespace {

std::string generate_ext(const Spec& spec, const std::vector<std::string>& header) {
  const std::string user = read_file(spec.get_str("path"));
  const int w = spec.w;
  std::ostringstream os;
  for (const auto& line : header) os << "// " << line << "\n";
  os << "\n// ---- " << spec.get_str("path") << ", copied verbatim ----\n" << user << "\n// ---- end of copy ----\n\n";
  os << "`default_nettype none\n\nmodule " << spec.name() << " (\n";
  os << "  input  wire [" << w - 1 << ":0] a_i,\n  input  wire [" << w - 1 << ":0] b_i,\n";
  os << "  output wire [" << 2 * w - 1 << ":0] y_o\n);\n\n";
  os << "  " << spec.get_str("top") << " u_ext (\n    ." << spec.get_str("a") << "(a_i),\n    ." << spec.get_str("b")
     << "(b_i),\n    ." << spec.get_str("y") << "(y_o)\n  );\n\nendmodule\n\n`default_nettype wire\n";
  return os.str();
}

const GeneratorRegistrar ext_gen("ext", generate_ext);

}  // namespace
}  // namespace gm::rtl
