// greenmac bench NAME: run a benchmark and print its figures.
#include <iostream>

#include "cli/bench/bench.hpp"
#include "cli/command.hpp"

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
          return [=] { return benches().at(*name).run(); };
        },
});

}  // namespace
}  // namespace gm
