#include "tb/lint.hpp"

#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/tool_names.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

std::vector<LintResult> lint_files(const std::vector<std::filesystem::path>& files, const LintOptions& opt) {
  for (const auto& [tool, pkg] : {std::pair<const char*, const char*>{"verilator", "verilator"},
                                  {"iverilog", "iverilog"}, {"yosys", "yosys"}})
    if (!have_tool(tool))
      throw UserError(std::string(tool) + " is not installed (not on PATH); install it with `apt-get install " +
                      pkg + "`");
  // The tools read copies under their own file names in a scratch directory: every file is then a
  // plain relative name (Verilator, for one, expands $VAR and $(VAR) in the file names it is given).
  const ScratchDir scratch("gm-lint");
  std::vector<std::string> paths;
  for (const auto& f : files) {
    const std::string name = f.filename().string();
    if (!is_plain_identifier(f.stem().string()) || f.extension() != ".v")
      throw UserError("cannot lint '" + f.string() + "': the file name must be NAME.v with NAME a plain identifier");
    write_file_atomic(scratch / name, read_file(f));
    paths.push_back(name);
    // A LUT multiplier's table, read by $readmemh("NAME.hex") relative to the sources.
    const fs::path table = fs::path(f).replace_extension(".hex");
    if (fs::is_regular_file(table)) write_file_atomic(scratch / table.filename(), read_file(table));
  }
  std::vector<LintResult> out;
  auto check = [&](const std::string& tool, std::vector<std::string> argv, const std::vector<std::string>& tail) {
    argv.insert(argv.end(), tail.begin(), tail.end());
    const RunResult res = run_program(argv, {.cwd = scratch.path()});
    LintResult r{tool, res.ok(), res.output};
    // Yosys prints warnings without failing on some of them; count any as unclean.
    if (tool == "yosys" && r.log.find("Warning") != std::string::npos) r.clean = false;
    if (r.clean) r.log.clear();
    out.push_back(r);
  };
  std::vector<std::string> verilator = {"verilator", "--lint-only", "-Wall", "-Wno-MULTITOP"};
  std::vector<std::string> iverilog = {"iverilog", "-g2005", "-Wall", "-o", "/dev/null"};
  std::vector<std::string> yosys = {"yosys", "-q"};
  for (const auto& d : opt.defines) {
    verilator.push_back("-D" + d);
    iverilog.push_back("-D" + d);
    yosys.push_back("-D" + d);
  }
  if (opt.test_bench) verilator.push_back("--timing");
  check("verilator", verilator, paths);
  check("iverilog", iverilog, paths);
  if (opt.test_bench) {
    // Parsed only (-defer: no elaboration). The names are plain identifiers (checked above), so
    // they can go into the script.
    std::string script = "read_verilog -defer";
    for (const auto& p : paths) script += " " + p;
    check("yosys", yosys, {"-p", script});
  } else {
    // Yosys reads the files given after `-f verilog` before it runs the -p script.
    std::vector<std::string> yosys_files = {"-f", "verilog"};
    yosys_files.insert(yosys_files.end(), paths.begin(), paths.end());
    yosys_files.insert(yosys_files.end(), {"-p", "hierarchy -check; proc; check -assert"});
    check("yosys", yosys, yosys_files);
  }
  return out;
}

}  // namespace gm
