// Sharding a long command over processes, machines or Slurm array tasks (docs/cluster.md).
//
// `--shard I/N` (0 <= I < N) makes a command do the I-th of N shares of its work and write one
// result file, DIR/shards/COMMAND-I-of-N.json, atomically; that file is complete on its own. A shard
// whose file is already there (and parses) is skipped, so a preempted job array simply resumes.
// `greenmac merge DIR` checks that all N files are there and were made with the same arguments,
// then hands them to the merger the command registered, which writes the same report.md, JSON, CSV
// and plots an unsharded run writes.
//
//   const Shard shard = parse_shard(text);                  // "2/4"
//   for (size_t i : shard_indices(specs.size(), shard)) ...  // this shard's items
//   if (shard_done(out, "characterize", shard)) return 0;   // resumed
//   write_shard(out, "characterize", shard, args_json, result_json);
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/spec.hpp"

namespace gm {

struct Shard {
  size_t index = 0;
  size_t count = 1;
  bool given = false;  // --shard was on the command line (even 0/1)
};

// "I/N" with 0 <= I < N <= 100000; throws UserError naming the option otherwise.
Shard parse_shard(const std::string& text, const std::string& option = "--shard");

// "I/N", as the messages name a shard.
std::string shard_text(const Shard& s);

// Adds `--shard I/N` to a command; `text` stays "" when the option is not given.
void add_shard_option(CLI::App& sub, std::string* text);

// The indices of items 0..total-1 that belong to `shard`: round robin (i % N == I), so that each
// shard gets a mix of the sweep's cheap and costly items rather than one contiguous block.
std::vector<size_t> shard_indices(size_t total, const Shard& shard);

template <class T>
std::vector<T> shard_items(const std::vector<T>& items, const Shard& shard) {
  std::vector<T> out;
  for (size_t i : shard_indices(items.size(), shard)) out.push_back(items[i]);
  return out;
}

// The canonical specs of a sweep, in order: the part of a shard's `args` every sweep of designs has.
nlohmann::json spec_list_json(const std::vector<Spec>& specs);

// The contents of the input files among `values` (option values that may be paths: --activity,
// --dist, --model, --lib, ...): {"PATH": SHA-256 of its bytes} for each value that names a regular
// file; values that are keywords ("uniform", "cnn") are left out. In a shard's `args`, so that a
// file edited between two shards, or before a resume, refuses the stale shard instead of mixing it in.
nlohmann::json input_files_json(const std::vector<std::string>& values);

// DIR/shards/COMMAND-I-of-N.json
std::filesystem::path shard_file(const std::filesystem::path& out_dir, const std::string& command, const Shard& shard);

// True when this shard's file is there and is a complete shard record of the same command, index,
// count and arguments (a record made with other arguments is an error, not a resume: UserError).
bool shard_done(const std::filesystem::path& out_dir, const std::string& command, const Shard& shard,
                const nlohmann::json& args);

// Writes the shard record atomically: {"greenmac_shard": 1, "command", "index", "count", "args",
// "result"}. `args` are the options that must agree between shards (the whole sweep's spec list,
// seeds, ...); `result` is the command's own JSON for its share.
void write_shard(const std::filesystem::path& out_dir, const std::string& command, const Shard& shard,
                 const nlohmann::json& args, const nlohmann::json& result);

// One shard file read back and checked.
struct ShardRecord {
  std::string command;
  Shard shard;
  nlohmann::json args;
  nlohmann::json result;
};

// Reads every DIR/shards/*.json; throws UserError when there are none, when they mix commands,
// counts or arguments, when one is unreadable, or when some of the N are missing (naming them).
// Sorted by index.
std::vector<ShardRecord> read_shards(const std::filesystem::path& out_dir);

// Joins the shards' `field` arrays (element k of shard I is item shard_indices(total, I)[k]) back
// into the order of the whole sweep. A shard whose array has another length, or, when `specs` is
// given, an element whose "spec" is not the item's, is a UserError naming its file.
nlohmann::json unshard_array(const std::filesystem::path& out_dir, const std::vector<ShardRecord>& shards,
                             const std::string& field, size_t total, const nlohmann::json* specs = nullptr);

// What a command registers so that `greenmac merge` can join its shards: writes the reports into
// out_dir and returns the exit status the unsharded run would have (its checks decide it).
struct ShardMerger {
  std::string command;
  std::function<int(const std::filesystem::path& out_dir, const std::vector<ShardRecord>& shards)> merge;
};

void register_shard_merger(ShardMerger merger);
const ShardMerger* find_shard_merger(const std::string& command);  // nullptr when none
std::vector<std::string> shard_merger_names();

struct ShardMergerRegistrar {
  explicit ShardMergerRegistrar(ShardMerger merger) { register_shard_merger(std::move(merger)); }
};

}  // namespace gm
