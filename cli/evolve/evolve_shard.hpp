// `greenmac evolve --shard I/N`: N independent searches of the same bounds, joined by `greenmac merge`
// (cli/shard/shard.hpp, docs/evolve.md "Sharded").
//
// The bounds of one run chain (each search starts from the cheapest circuit found so far), so they
// are not independent work. What is: restarts. Shard I runs the whole chained run from random seed
// --seed + I and writes its circuits (netlists and fitness, nothing stored in the library) into its
// shard file, with the operand texts, so that the file is complete on its own. The merge takes, per
// bound, the cheapest circuit that met it over all shards (ties: the lowest shard), stores those,
// checks them and measures them as an unsharded run does, and writes the same evolve.json and
// evolve.md. With N = 1 the one search is the unsharded run's search (seed + 0), so
// `--shard 0/1` and merge give the unsharded run's files.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/evolve/evolve.hpp"
#include "cli/shard/shard.hpp"

namespace gm {

// The options every shard of one run must share (the shard core refuses to mix others), with the
// SHA-256 of the operand texts, so that shards that read changed files do not merge.
nlohmann::json evolve_shard_args(const EvolveOptions& opt, const EvolveInputs& in);

// Runs shard `shard` of the run into opt.out/shards (skipped when its file is there); exit status 0.
int run_evolve_shard(const EvolveOptions& opt, const Shard& shard);

}  // namespace gm
