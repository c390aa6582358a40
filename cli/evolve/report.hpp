// What `greenmac evolve` prints and keeps: a table per circuit (bound, error under the network's
// operands, the cost estimate beside the real flow's measurement, both as ratios to the seed), the
// same as JSON (LIBDIR/evolve.json) and as Markdown (LIBDIR/evolve.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "cli/evolve/evolve.hpp"

namespace gm {

nlohmann::ordered_json evolve_json(const EvolveResult& r);
std::string evolve_markdown(const EvolveResult& r);

}  // namespace gm
