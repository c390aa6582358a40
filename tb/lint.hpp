// Lint generated RTL with the three tools users feed it to:
//   verilator --lint-only -Wall   (all warnings are errors)
//   iverilog -g2005               (strict Verilog-2005)
//   yosys: read_verilog; hierarchy -check; proc; check -assert
// All files are checked together, so a module name defined in two files fails too.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gm {

struct LintResult {
  std::string tool;
  bool clean = false;
  std::string log;  // the tool's messages when not clean
};

// Throws UserError when a tool is missing.
std::vector<LintResult> lint_files(const std::vector<std::filesystem::path>& files);

}  // namespace gm
