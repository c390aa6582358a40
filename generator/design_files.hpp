// Generated design files on disk: <name>.v per design and manifest.json describing them.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "models/spec.hpp"

namespace gm {

nlohmann::json manifest_entry(const Spec& spec);

// Generates every design in memory first, so that a bad spec or generator failure writes nothing,
// then writes each file atomically. Returns the paths of the Verilog files, in spec order.
std::vector<std::filesystem::path> write_designs(const std::vector<Spec>& specs,
                                                 const std::filesystem::path& dir);

}  // namespace gm
