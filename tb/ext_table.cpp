// The tool side of ext: designs. Before an ext design is generated its module is read by Yosys and
// checked: the file must parse, the top must exist with exactly the operand ports (w bits each) and
// the product port (2w bits), and it must contain no flip-flop or latch. Its model (the truth
// table of models/families/ext.hpp) is what Icarus computes on greenmac's wrapper.
#include <nlohmann/json.hpp>
#include <sstream>

#include "generator/registry.hpp"
#include "models/cache/cache_key.hpp"
#include "models/errors.hpp"
#include "models/families/ext.hpp"
#include "models/files.hpp"
#include "tb/process.hpp"
#include "tb/tool_log.hpp"
#include "tb/tool_version.hpp"
#include "tb/verify.hpp"

namespace fs = std::filesystem;

namespace gm {
namespace {

std::string first_error_line(const std::string& log) {
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line))
    if (line.find("ERROR") != std::string::npos || line.find("rror:") != std::string::npos) return line;
  return log.substr(0, 200);
}

int port_width(const nlohmann::json& port) { return static_cast<int>(port["bits"].size()); }

void check_module(const Spec& spec) {
  if (!have_tool("yosys"))
    throw UserError("yosys is not installed (not on PATH); install it with `apt-get install yosys`");
  const std::string& path = spec.get_str("path");
  const std::string& top = spec.get_str("top");
  // The file is a separate argument (Yosys reads it as given, whatever its characters); top is a
  // plain identifier (checked when the spec was parsed), so the script below is fixed text.
  const ScratchDir dir("gm-ext");
  const auto res = run_program({"yosys", "-q", "-f", "verilog", path, "-p",
                                "hierarchy -check -top " + top + "; proc; flatten; write_json ports.json"},
                               {.cwd = dir.path()});
  if (!res.ok()) {
    const auto located = first_user_source_error(res.output, {{fs::path(path).filename().string(), path}}, "yosys");
    throw UserError("ext: cannot read module '" + top + "' from " + path + ": " +
                    (located ? *located : first_error_line(res.output)));
  }
  const auto netlist = nlohmann::json::parse(read_file(dir / "ports.json"));
  const auto& mod = netlist["modules"][top];
  const std::string a = spec.get_str("a"), b = spec.get_str("b"), y = spec.get_str("y");
  const int w = spec.w;
  auto expect_port = [&](const std::string& name, const std::string& dir_, int width, const std::string& key) {
    if (!mod["ports"].contains(name))
      throw UserError("ext: module '" + top + "' has no port '" + name + "'; name its " + dir_ + " port with " + key + "=PORT");
    const auto& p = mod["ports"][name];
    if (p["direction"] != dir_ || port_width(p) != width)
      throw UserError("ext: port '" + name + "' of '" + top + "' must be a " + std::to_string(width) + "-bit " + dir_ +
                      " (w=" + std::to_string(w) + "); it is a " + std::to_string(port_width(p)) + "-bit " +
                      p["direction"].get<std::string>());
  };
  expect_port(a, "input", w, "a");
  expect_port(b, "input", w, "b");
  expect_port(y, "output", 2 * w, "y");
  for (const auto& [name, port] : mod["ports"].items())
    if (name != a && name != b && name != y)
      throw UserError("ext: module '" + top + "' has an extra port '" + name +
                      "'; only combinational multipliers with two operands and a product are supported");
  for (const auto& [name, cell] : mod["cells"].items()) {
    const std::string type = cell["type"];
    if (type.find("dff") != std::string::npos || type.find("latch") != std::string::npos ||
        type.find("$sr") == 0 || type.find("$mem") == 0)
      throw UserError("ext: module '" + top + "' is not combinational (it has a " + type +
                      "); give a purely combinational multiplier");
  }
}

const rtl::DesignCheckRegistrar ext_check("ext", check_module);

// The model of an external design is its simulated truth table.
const bool provider_installed = [] {
  set_external_table_provider([](const Spec& spec) { return simulate_truth_table(spec, rtl::generate_verilog(spec)); });
  // The table is what Icarus computes on greenmac's wrapper: both are part of its key.
  set_external_table_salt([] {
    CacheKey k;
    return add_tool_versions(k, {"iverilog", "vvp"}).add_build_id().hex();
  });
  return true;
}();

}  // namespace
}  // namespace gm
