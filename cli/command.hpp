// CLI subcommands register themselves from their own cmd_<name>.cpp files.
//
// A command declares its options on the CLI11 subcommand it is given and returns the function that
// runs it. Commands stay thin: parse, run a worker, print a summary (or JSON), return the exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/errors.hpp"  // UserError, which every command may throw

namespace gm {

using RunFn = std::function<int()>;

struct CommandDef {
  std::string name;
  std::string help;
  int order;  // position in `greenmac --help`
  std::function<RunFn(CLI::App& sub)> setup;
};

void register_command(CommandDef def);
std::vector<CommandDef> all_commands();  // sorted by order

struct CommandRegistrar {
  explicit CommandRegistrar(CommandDef def) { register_command(std::move(def)); }
};

// The options every command that takes designs shares: SPEC... and --set.
struct SpecArgs {
  std::vector<std::string> specs;
  std::string set;
  void add_to(CLI::App& sub, bool required = true);
};

}  // namespace gm
