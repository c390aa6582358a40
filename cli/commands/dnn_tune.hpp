// `greenmac dnn tune`: weight tuning for per-layer multipliers, without retraining (docs/dnn.md,
// "Weight tuning"; models/dnn/weight_tuning.hpp).
#pragma once

#include "cli/command.hpp"

namespace gm {

// Adds the `tune` subcommand to `dnn` and returns the function that runs it.
RunFn add_dnn_tune(CLI::App& dnn);

}  // namespace gm
