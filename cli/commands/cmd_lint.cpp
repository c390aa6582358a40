// greenmac lint SPEC... [--rtl-dir DIR]: Verilator -Wall, Icarus and Yosys on the designs' RTL.
#include <filesystem>
#include <iostream>
#include <optional>

#include "models/checks.hpp"
#include "cli/command.hpp"
#include "generator/design_files.hpp"
#include "models/files.hpp"
#include "tb/lint.hpp"

namespace gm {
namespace {

struct LintArgs {
  SpecArgs designs;
  std::string rtl_dir;
};

int run_lint(const LintArgs& args) {
  const auto specs = expand_specs(args.designs.specs, args.designs.set);
  std::filesystem::path dir = args.rtl_dir;
  std::optional<ScratchDir> scratch;
  std::vector<std::filesystem::path> files;
  if (dir.empty()) {
    scratch.emplace("gm-lint");
    dir = scratch->path();
    files = write_designs(specs, dir);
  } else {
    for (const auto& s : specs) {
      files.push_back(dir / (s.name() + ".v"));
      read_file(files.back());  // a clear error for a missing file
    }
  }
  const auto results = lint_files(files);
  int dirty = 0;
  for (const auto& r : results) {
    std::cout << (r.clean ? "clean " : "DIRTY ") << r.tool << "\n";
    if (!r.clean) {
      ++dirty;
      std::cout << r.log << "\n";
    }
  }
  std::cout << specs.size() << " design" << (specs.size() == 1 ? "" : "s") << ": "
            << results.size() - dirty << " of " << results.size() << " tools clean\n";
  CheckLog checks;
  for (const auto& r : results) checks.expect(r.clean, "lint: " + r.tool + " reports problems in the RTL");
  return checks.finish();
}

const CommandRegistrar reg({
    .name = "lint",
    .help = "check the designs' RTL with verilator --lint-only -Wall, iverilog -g2005 and yosys check -assert",
    .order = 35,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<LintArgs>();
          args->designs.add_to(sub);
          sub.add_option("--rtl-dir", args->rtl_dir, "lint DIR/<name>.v instead of freshly generated RTL");
          return [=] { return run_lint(*args); };
        },
});

}  // namespace
}  // namespace gm
