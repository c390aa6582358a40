// greenmac bench NAME [--quiet]: run a benchmark and print its figures; its stages are reported on
// stderr (models/progress.hpp) as "greenmac: bench NAME: ...".
#include <iostream>

#include "cli/bench/bench.hpp"
#include "cli/command.hpp"
#include "cli/quiet_option.hpp"
#include "models/progress.hpp"

namespace gm {

std::map<std::string, BenchDef>& benches() {
  static std::map<std::string, BenchDef> table;
  return table;
}

namespace {

const CommandRegistrar reg({
    .name = "bench",
    .help = "run a benchmark and print its figures (ratios are measured in the same run)",
    .order = 90,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto name = std::make_shared<std::string>();
          std::string names, help = "benchmark:";
          for (const auto& [n, def] : benches()) help += "\n  " + n + ": " + def.help;
          std::vector<std::string> keys;
          for (const auto& [n, def] : benches()) keys.push_back(n);
          sub.add_option("NAME", *name, help)->required()->check(CLI::IsMember(keys));
          add_quiet_option(sub);
          return [=] {
            Progress progress("bench " + *name);
            const int rc = benches().at(*name).run(progress);
            progress.finish();
            return rc;
          };
        },
});

}  // namespace
}  // namespace gm
