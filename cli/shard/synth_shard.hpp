// `greenmac synth SPEC... --shard I/N -o DIR` and its merger (docs/cluster.md).
//
// Shard I synthesizes designs I, I+N, I+2N... of the spec list (after --set expansion), keeps their
// files in DIR/<name>/ as an unsharded run does, and writes DIR/shards/synth-I-of-N.json (every field
// of its results: cli/shard/char_records.hpp) instead of DIR/synth.json and synth.csv. `greenmac
// merge DIR` writes those two from all the shards' results, in the list's order.
#pragma once

#include <filesystem>
#include <vector>

#include "cli/shard/shard.hpp"
#include "models/checks.hpp"
#include "synth/mult_synth.hpp"

namespace gm {

// DIR/synth.json and DIR/synth.csv of a list of designs (each atomically): the unsharded run's
// files and the merged ones come from here.
void write_synth_files(const std::filesystem::path& dir, const std::vector<SynthResult>& results);

// Each mapped netlist computes its model's products.
CheckLog synth_checks(const std::vector<SynthResult>& results);

// Runs (or, when its file is already there, skips) one shard; opt.keep_dir is the -o DIR. Returns
// the exit status of the shard's own designs' checks.
int run_synth_shard(const std::vector<Spec>& specs, const SynthOptions& opt, const Shard& shard);

}  // namespace gm
