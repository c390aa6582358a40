// `greenmac dnn storage`: per-layer statistics and the storage-energy estimate of the shipped
// network on the array (models/energy/, docs/energy.md).
#pragma once

#include "cli/command.hpp"

namespace gm {

// Adds the `storage` subcommand to `dnn` and returns the function that runs it.
RunFn add_dnn_storage(CLI::App& dnn);

}  // namespace gm
