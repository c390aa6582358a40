#include "cli/report/index_html.hpp"
#include "cli/shard/synth_shard.hpp"

#include <iostream>

#include "cli/shard/char_records.hpp"
#include "models/errors.hpp"
#include "models/files.hpp"

namespace gm {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kSynthCommand = "synth";

// What the shards of one sweep must agree on: the specs and every option that changes a figure
// (not -j, nor -o).
json shard_args(const std::vector<Spec>& specs, const SynthOptions& opt) {
  const json names = spec_list_json(specs);
  return {{"specs", names},       {"lib", opt.lib},   {"clock_ns", opt.clock_ns},
          {"activity", opt.activity}, {"cycles", opt.cycles}, {"activity_model", opt.activity_model},
          {"seed", opt.seed},          {"input_files", input_files_json({opt.activity, opt.lib})}};
}

int merge_synth(const fs::path& out_dir, const std::vector<ShardRecord>& shards) {
  const size_t total = shards.front().args.at("specs").size();
  std::vector<std::optional<SynthResult>> slots(total);
  for (const auto& sh : shards)
    for (const auto& item : sh.result.at("results")) {
      const size_t i = item.at("index").get<size_t>();
      if (i >= total || slots[i] || i % sh.shard.count != sh.shard.index)
        throw UserError("shard " + shard_text(sh.shard) + " in " + (out_dir / "shards").string() + " holds design " +
                        std::to_string(i) + ", which is not its own; remove it and run it again");
      slots[i] = synth_from_record(item.at("result"));
    }
  std::vector<SynthResult> results;
  for (size_t i = 0; i < total; ++i) {
    if (!slots[i])
      throw UserError("no shard in " + (out_dir / "shards").string() + " holds design " + std::to_string(i) +
                      "; remove the shards and run the sweep again");
    results.push_back(std::move(*slots[i]));
  }
  write_synth_files(out_dir, results);
  std::cout << "merged " << shards.size() << " shards: " << results.size() << " designs into "
            << (out_dir / "synth.json").string() << " and synth.csv\n";
  return synth_checks(results).finish();
}

int merge_synth_or_explain(const fs::path& out_dir, const std::vector<ShardRecord>& shards) {
  try {
    return merge_synth(out_dir, shards);
  } catch (const json::exception& e) {  // a record this build did not write
    throw UserError("the synth shards in " + (out_dir / "shards").string() + " are not readable (" + e.what() +
                    "); run the sweep again with this greenmac");
  }
}

const ShardMergerRegistrar synth_merger({kSynthCommand, merge_synth_or_explain});

}  // namespace

void write_synth_files(const fs::path& dir, const std::vector<SynthResult>& results) {
  json j = json::array();
  for (const auto& r : results) j.push_back(synth_result_json(r));
  write_file_atomic(dir / "synth.json", j.dump(2) + "\n");
  write_file_atomic(dir / "synth.csv", synth_csv(results));
  write_index_html(dir);
}

CheckLog synth_checks(const std::vector<SynthResult>& results) {
  CheckLog checks;
  for (const auto& r : results)
    checks.expect(r.netlist_matches_model, "synth: the mapped netlist of " + r.spec.name() +
                                               " does not compute its model's products (run `greenmac verify`)");
  return checks;
}

int run_synth_shard(const std::vector<Spec>& specs, const SynthOptions& opt, const Shard& shard) {
  const fs::path out = opt.keep_dir;
  const json args = shard_args(specs, opt);
  const fs::path file = shard_file(out, kSynthCommand, shard);
  if (shard_done(out, kSynthCommand, shard, args)) {
    std::cout << "shard " << shard_text(shard) << " is already done (" << file.string() << "); skipped. When all "
              << shard.count << " are done: greenmac merge " << out.string() << "\n";
    return 0;
  }
  const std::vector<size_t> mine = shard_indices(specs.size(), shard);
  std::vector<Spec> own_specs;
  for (size_t i : mine) own_specs.push_back(specs[i]);
  const std::vector<SynthResult> results = own_specs.empty() ? std::vector<SynthResult>{} : synth_designs(own_specs, opt);
  json items = json::array();
  for (size_t k = 0; k < mine.size(); ++k) items.push_back({{"index", mine[k]}, {"result", synth_record(results[k])}});
  write_shard(out, kSynthCommand, shard, args, {{"results", items}});
  std::cout << "shard " << shard_text(shard) << ": " << mine.size() << " of " << specs.size()
            << " designs synthesized into " << file.string() << ". When all " << shard.count
            << " are done: greenmac merge " << out.string() << "\n";
  return synth_checks(results).finish();
}

}  // namespace gm
