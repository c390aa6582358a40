// The per-layer side of `greenmac dnn`: `dnn eval --list-layers` and `dnn sensitivity`
// (docs/dnn.md, "Per-layer multipliers").
#pragma once

#include <string>

#include "cli/command.hpp"

namespace gm {

// Prints the conv/fc layers of the model (`cnn`, `mlp` or a file): name, description, K, N, MACs
// per image and share of the network's MACs; JSON with `json`. Returns the exit code.
int print_layer_list(const std::string& model, bool json);

// Adds the `sensitivity` subcommand to `dnn` and returns the function that runs it.
RunFn add_dnn_sensitivity(CLI::App& dnn);

}  // namespace gm
