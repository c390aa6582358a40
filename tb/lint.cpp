#include "tb/lint.hpp"

#include "models/errors.hpp"
#include "models/files.hpp"
#include "models/tool_names.hpp"
#include "tb/process.hpp"

namespace fs = std::filesystem;

namespace gm {

std::vector<LintResult> lint_files(const std::vector<std::filesystem::path>& files) {
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
  check("verilator", {"verilator", "--lint-only", "-Wall", "-Wno-MULTITOP"}, paths);
  check("iverilog", {"iverilog", "-g2005", "-Wall", "-o", "/dev/null"}, paths);
  // Yosys reads the files given after `-f verilog` before it runs the -p script.
  std::vector<std::string> yosys_files = paths;
  yosys_files.insert(yosys_files.end(), {"-p", "hierarchy -check; proc; check -assert"});
  check("yosys", {"yosys", "-q", "-f", "verilog"}, yosys_files);
  return out;
}

}  // namespace gm
