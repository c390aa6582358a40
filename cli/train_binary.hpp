// Where greenmac-train is (models/dnn/train/): built beside greenmac when libtorch is available.
// `greenmac train` replaces itself with it; `explore` runs it for every model it trains.
#pragma once

#include <filesystem>

namespace gm {

// The greenmac-train executable beside this binary (it may not exist).
std::filesystem::path train_binary();

// train_binary(), or UserError saying how to get it when it is not built.
std::filesystem::path require_train_binary();

}  // namespace gm
