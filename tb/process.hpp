// External programs (yosys, sta, verilator, make, the C++ compiler, iverilog, vvp, gnuplot) run
// from an argument vector, never through a shell: no text a user wrote can become a command.
//
// Every child runs in its own process group and is registered while it runs; so is every scratch
// directory. On SIGINT, SIGTERM or SIGHUP greenmac kills the children's groups (the compilers
// that `make` started included), removes the scratch directories and exits 128+signal.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "models/scratch.hpp"  // ScratchDir: every program runs in one

namespace gm {

struct RunOptions {
  std::filesystem::path cwd;          // empty: greenmac's own working directory
  std::filesystem::path stdout_file;  // when set, stdout goes here alone (and is not in `output`)
  std::filesystem::path log_file;     // when set, stderr (and stdout, unless redirected) is copied here
  int timeout_s = 0;                  // 0: no limit; else the process group is killed after it
  std::vector<std::string> env;       // "NAME=VALUE" entries set (or replaced) in the child's environment
};

struct RunResult {
  int exit_code = -1;      // the exit status; 128+N when killed by signal N; 127 when it could not start
  bool timed_out = false;  // killed because it ran past RunOptions::timeout_s
  std::string output;      // stdout and stderr, interleaved (stdout only if not redirected)
  bool ok() const { return exit_code == 0 && !timed_out; }
};

// Runs argv[0] (looked up on PATH when it has no slash) with the arguments as they are.
RunResult run_program(const std::vector<std::string>& argv, const RunOptions& opt = {});

// The full path of `tool` on PATH, found without a shell.
std::optional<std::filesystem::path> find_on_path(const std::string& tool);
inline bool have_tool(const std::string& tool) { return find_on_path(tool).has_value(); }

// Installs the interrupt handling described above. Call first thing in main, before any thread.
void install_interrupt_handler();

}  // namespace gm
