#include "generator/lint.hpp"

#include "generator/command.hpp"
#include "generator/fsutil.hpp"

namespace gm {

std::vector<LintResult> lint_files(const std::vector<std::filesystem::path>& files) {
  for (const auto& [tool, pkg] : {std::pair<const char*, const char*>{"verilator", "verilator"},
                                  {"iverilog", "iverilog"}, {"yosys", "yosys"}})
    if (!have_tool(tool))
      throw UserError(std::string(tool) + " is not installed (not on PATH); install it with `apt-get install " +
                      pkg + "`");
  std::string list;
  for (const auto& f : files) list += " '" + f.string() + "'";
  std::vector<LintResult> out;
  auto check = [&](const std::string& tool, const std::string& cmd) {
    LintResult r{tool, false, ""};
    r.clean = run_command(cmd, &r.log) == 0;
    // Yosys prints warnings without failing on some of them; count any as unclean.
    if (tool == "yosys" && r.log.find("Warning") != std::string::npos) r.clean = false;
    if (r.clean) r.log.clear();
    out.push_back(r);
  };
  check("verilator", "verilator --lint-only -Wall -Wno-MULTITOP" + list);
  check("iverilog", "iverilog -g2005 -Wall -o /dev/null" + list);
  std::string script = "read_verilog";
  for (const auto& f : files) script += " " + f.string();
  script += "; hierarchy -check; proc; check -assert";
  check("yosys", "yosys -q -p '" + script + "'");
  return out;
}

}  // namespace gm
