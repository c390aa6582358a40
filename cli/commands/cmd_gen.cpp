// greenmac gen SPEC... -o DIR: one Verilog-2005 file per design plus manifest.json.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "generator/design_files.hpp"
#include "models/spec.hpp"

namespace gm {
namespace {

const CommandRegistrar reg({
    .name = "gen",
    .help = "generate Verilog for designs: DIR/<name>.v for each and DIR/manifest.json",
    .order = 20,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto args = std::make_shared<SpecArgs>();
          auto dir = std::make_shared<std::string>();
          args->add_to(sub);
          sub.add_option("-o,--out", *dir, "output directory")->required();
          return [=] {
            const auto specs = expand_specs(args->specs, args->set);
            write_designs(specs, *dir);
            std::cout << "wrote " << specs.size() << " design" << (specs.size() == 1 ? "" : "s")
                      << " and manifest.json to " << *dir << "\n";
            return 0;
          };
        },
});

}  // namespace
}  // namespace gm
