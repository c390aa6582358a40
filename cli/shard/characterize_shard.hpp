// `greenmac characterize SPEC... --shard I/N -o DIR` and its merger (docs/cluster.md).
//
// The rows of a characterization are the asked specs followed by the baselines it adds (exact and
// yosys of each width and signedness; plan_characterization). Shard I computes rows I, I+N, I+2N...
// of that list, baselines included, so every baseline is computed once, by whichever shard it falls
// to, and the per-layer configuration's row (--mul-layer, --mul-map) by shard 0. Each shard writes
// DIR/shards/characterize-I-of-N.json (every field of its rows: cli/shard/char_records.hpp) and no
// report. `greenmac merge DIR` puts the rows back in the plan's order, adds what joins them (ratios,
// Pareto fronts) and writes the report with the unsharded run's writer: the same files.
#pragma once

#include <vector>

#include "cli/report/characterize.hpp"
#include "cli/shard/shard.hpp"

namespace gm {

// Runs (or, when its file is already there, skips) one shard; opt.out_dir is the -o DIR. Returns
// the exit status of the shard's own rows' checks.
int run_characterize_shard(const std::vector<Spec>& specs, const CharOptions& opt, const Shard& shard);

}  // namespace gm
