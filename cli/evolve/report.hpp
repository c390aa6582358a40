// What `greenmac evolve` prints and keeps: a table per circuit (bound, error under the network's
// operands, the cost estimate beside the real flow's measurement, both as ratios to the seed), the
// same as JSON (LIBDIR/evolve.json) and as Markdown (LIBDIR/evolve.md).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/evolve/evolve.hpp"

namespace gm {

nlohmann::ordered_json evolve_json(const EvolveResult& r);
std::string evolve_markdown(const EvolveResult& r);

// What ends a run (and `greenmac merge` of its shards): writes LIBDIR/evolve.json and evolve.md,
// prints the Markdown (the JSON with `json`), and returns the exit status of the run's checks (a
// bound not met, a stored circuit over its bound, a netlist that does not reproduce its model).
int finish_evolve_report(const EvolveResult& r, const std::filesystem::path& lib, bool json);

}  // namespace gm
