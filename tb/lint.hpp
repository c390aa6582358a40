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

// For hand-written files (rtl/) that need them; `greenmac lint` uses none.
struct LintOptions {
  std::vector<std::string> defines;  // NAME=VALUE, given to all three tools (e.g. GM_DUT=gm_exact_s8_dadda)
  // A simulation test bench: its `#` delays are meant (Verilator --timing), and Yosys, which cannot
  // elaborate $fopen or $readmemh of a file that does not exist yet, only parses it.
  bool test_bench = false;
};

// Throws UserError when a tool is missing.
std::vector<LintResult> lint_files(const std::vector<std::filesystem::path>& files, const LintOptions& opt = {});

}  // namespace gm
