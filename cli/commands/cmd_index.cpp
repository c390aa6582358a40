// greenmac index DIR: (re)writes DIR/index.html from the report files in DIR (cli/report/index_html.hpp).
// Every command that writes an -o DIR report already writes one; this rebuilds it after files were
// added (the demo's out/ once explore has written out/explore/) or for a folder of merged shards.
#include <iostream>

#include "cli/command.hpp"
#include "cli/report/index_html.hpp"

namespace gm {
namespace {

const CommandRegistrar reg({
    .name = "index",
    .help = "write DIR/index.html: one self-contained page with DIR's reports, tables, plots, designs and files",
    .order = 96,
    .setup =
        [](CLI::App& sub) -> RunFn {
          auto dir = std::make_shared<std::string>();
          sub.add_option("DIR", *dir, "a report directory (the -o DIR of characterize, explore, synth, evolve, gen)")
              ->required();
          return [=] {
            std::cout << write_index_html(*dir).string() << "\n";
            return 0;
          };
        },
});

}  // namespace
}  // namespace gm
