#include "cli/quiet_option.hpp"

#include "models/progress.hpp"

namespace gm {

void add_quiet_option(CLI::App& app) {
  app.add_flag_callback("-q,--quiet", [] { set_progress_quiet(true); },
                        "no progress lines on stderr (also GREENMAC_PROGRESS=0); stdout is the same either way");
}

}  // namespace gm
