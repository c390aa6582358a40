// greenmac: generate, verify and characterize approximate multipliers.
#include <iostream>

#include "cli/cli_errors.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "tb/process.hpp"
#include "models/version.hpp"
#include "models/spec.hpp"

int main(int argc, char** argv) {
  gm::install_interrupt_handler();
  CLI::App app{"greenmac: generate, verify and characterize exact and approximate integer multipliers"};
  app.set_version_flag("--version", gm::kVersion);
  app.require_subcommand(1);
  gm::add_quiet_option(app);  // before any command: silences their progress lines
  std::vector<std::pair<CLI::App*, gm::RunFn>> runners;
  for (const auto& cmd : gm::all_commands()) {
    CLI::App* sub = app.add_subcommand(cmd.name, cmd.help);
    runners.emplace_back(sub, cmd.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // Every other parser complaint is a user error in the one-line format.
    std::cerr << "greenmac: error: " << gm::parse_error_line(app, e, argc, argv) << "\n";
    return 2;
  }
  try {
    for (auto& [sub, run] : runners)
      if (sub->parsed()) return run();
  } catch (const gm::SpecError& e) {
    std::cerr << "greenmac: error: " << gm::one_line(e.what()) << "\n";
    return 2;
  } catch (const gm::UserError& e) {
    std::cerr << "greenmac: error: " << gm::one_line(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    // A tool or internal failure, not the user's input.
    std::cerr << "greenmac: internal error: " << gm::one_line(e.what()) << "\n";
    return 1;
  }
  return 1;
}
