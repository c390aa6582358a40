// --quiet: no progress lines on stderr (models/progress.hpp). Given to the app (`greenmac --quiet
// characterize ...`) and to each command that can run long (`greenmac characterize ... --quiet`).
// GREENMAC_PROGRESS=0 in the environment does the same.
#pragma once

#include <CLI/CLI.hpp>

namespace gm {

void add_quiet_option(CLI::App& app);

}  // namespace gm
