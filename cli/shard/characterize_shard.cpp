#include "cli/shard/characterize_shard.hpp"

#include <iostream>

#include "cli/shard/char_records.hpp"
#include "models/dnn/evaluate.hpp"
#include "models/errors.hpp"

namespace gm {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kCharacterizeCommand = "characterize";

// The storage table's numbers, not only its name: a --mem-energy file edited between shards differs.
json mem_costs_json(const energy::MemEnergyTable& t) {
  json costs = json::array();
  for (const energy::MemCost* c : {&t.weight, &t.activation, &t.accumulator, &t.output, &t.dram})
    costs.push_back({c->read_pj, c->write_pj, c->access_bits});
  return {{"costs", costs}, {"has_dram", t.has_dram}, {"int8_mac_pj", t.int8_mac_pj}, {"fp32_mac_pj", t.fp32_mac_pj}};
}

// Everything the shards of one sweep must agree on: the asked specs (after --set expansion) and
// every option that changes a figure. -j does not (the results do not depend on it), nor -o.
json shard_args(const std::vector<Spec>& specs, const CharOptions& opt) {
  const json names = spec_list_json(specs);
  json dnn;  // null without --dnn
  if (opt.dnn.enabled) {
    const auto& d = opt.dnn;
    dnn = {{"model", d.model},         {"images", d.images},           {"data_dir", d.data_dir},
           {"rtl_images", d.rtl_images}, {"rows", d.rows},             {"cols", d.cols},
           {"inference", d.inference}, {"sim_images", d.sim_images},   {"energy_rows", d.energy_rows},
           {"energy_cols", d.energy_cols}, {"energy_gemm_rows", d.energy_gemm_rows}, {"stream", d.stream},
           {"mem_table", d.mem.name + " (" + d.mem.node + "; " + d.mem.source + ")"},
           {"mem_costs", mem_costs_json(d.mem)},
           {"layers", d.layers ? json(d.layers->canonical(load_dnn_model(d.model))) : json()}};
  }
  return {{"specs", names},
          {"lib", opt.synth.lib},
          {"clock_ns", opt.synth.clock_ns},
          {"activity", opt.synth.activity},
          {"cycles", opt.synth.cycles},
          {"activity_model", opt.synth.activity_model},
          {"seed", opt.synth.seed},
          {"dist", opt.dist ? json(opt.dist->origin) : json()},
          {"dnn", dnn},
          {"input_files", input_files_json({opt.synth.activity, opt.synth.lib, opt.dist ? opt.dist->origin : "",
                                            opt.dnn.enabled ? opt.dnn.model : ""})}};
}

// The shards' rows back in the plan's order; the configuration's row from whichever shard has it.
int merge_characterize(const fs::path& out_dir, const std::vector<ShardRecord>& shards) {
  const json& args = shards.front().args;
  std::vector<Spec> specs;
  for (const auto& s : args.at("specs")) specs.push_back(parse_spec(s.get<std::string>()));
  const json& dnn = args.at("dnn");
  const bool per_layer = !dnn.is_null() && !dnn.at("layers").is_null();
  const CharPlan plan = plan_characterization(specs, per_layer);
  std::vector<std::optional<CharRow>> rows(plan.specs.size());
  std::optional<CharRow> config;
  for (const auto& sh : shards) {
    const json& result = sh.result;
    for (const auto& item : result.at("rows")) {
      const size_t i = item.at("index").get<size_t>();
      if (i >= rows.size() || rows[i] || i % sh.shard.count != sh.shard.index)
        throw UserError("shard " + shard_text(sh.shard) + " in " + (out_dir / "shards").string() +
                        " holds row " + std::to_string(i) + ", which is not its own; remove it and run it again");
      rows[i] = char_row_from_record(item.at("row"));
    }
    if (!result.at("config").is_null()) config = char_row_from_record(result.at("config"));
  }
  std::vector<CharRow> all;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i])
      throw UserError("no shard in " + (out_dir / "shards").string() + " holds row " + std::to_string(i) + " (" +
                      plan.specs[i].name() + "); remove the shards and run the sweep again");
    all.push_back(std::move(*rows[i]));
  }
  if (per_layer && !config)
    throw UserError("no shard in " + (out_dir / "shards").string() +
                    " holds the per-layer configuration's row; run shard 0 again");
  // The options the report writer reads, from the shards' arguments.
  CharOptions opt;
  opt.out_dir = out_dir;
  Distribution dist;
  if (!args.at("dist").is_null()) {
    dist.origin = args.at("dist").get<std::string>();
    opt.dist = &dist;
  }
  if (!dnn.is_null()) {
    opt.dnn.enabled = true;
    opt.dnn.model = dnn.at("model").get<std::string>();
    opt.dnn.rows = dnn.at("rows").get<int>();
    opt.dnn.cols = dnn.at("cols").get<int>();
    opt.dnn.energy_gemm_rows = dnn.at("energy_gemm_rows").get<int64_t>();
  }
  const auto joined = finish_characterization(plan, std::move(all), config);
  write_characterization(joined, opt);
  std::cout << "merged " << shards.size() << " shards: " << joined.size() << " rows; report in "
            << (out_dir / "report.md").string() << "\n";
  return characterize_checks(joined).finish();
}

int merge_characterize_or_explain(const fs::path& out_dir, const std::vector<ShardRecord>& shards) {
  try {
    return merge_characterize(out_dir, shards);
  } catch (const json::exception& e) {  // a record this build did not write
    throw UserError("the characterize shards in " + (out_dir / "shards").string() + " are not readable (" +
                    e.what() + "); run the sweep again with this greenmac");
  }
}

const ShardMergerRegistrar characterize_merger({kCharacterizeCommand, merge_characterize_or_explain});

}  // namespace

int run_characterize_shard(const std::vector<Spec>& specs, const CharOptions& opt, const Shard& shard) {
  const json args = shard_args(specs, opt);
  const fs::path file = shard_file(opt.out_dir, kCharacterizeCommand, shard);
  if (shard_done(opt.out_dir, kCharacterizeCommand, shard, args)) {
    std::cout << "shard " << shard_text(shard) << " is already done (" << file.string()
              << "); skipped. When all " << shard.count << " are done: greenmac merge " << opt.out_dir.string()
              << "\n";
    return 0;
  }
  const CharPlan plan = plan_characterization(specs, opt.dnn.enabled && opt.dnn.layers.has_value());
  const std::vector<size_t> mine = shard_indices(plan.specs.size(), shard);
  const bool with_config = shard.index == 0 && opt.dnn.enabled && opt.dnn.layers;
  const CharPart part = characterize_rows(plan, mine, opt, with_config);
  json rows = json::array();
  for (size_t k = 0; k < mine.size(); ++k) rows.push_back({{"index", mine[k]}, {"row", char_row_record(part.rows[k])}});
  write_shard(opt.out_dir, kCharacterizeCommand, shard, args,
              {{"rows", rows}, {"config", part.config ? char_row_record(*part.config) : json()}});
  std::cout << "shard " << shard_text(shard) << ": " << mine.size() << " of " << plan.specs.size()
            << " rows" << (part.config ? " and the per-layer configuration" : "") << " characterized into "
            << file.string() << ". When all " << shard.count
            << " are done: greenmac merge " << opt.out_dir.string() << "\n";
  std::vector<CharRow> own = part.rows;
  if (part.config) own.push_back(*part.config);
  return characterize_checks(own).finish();
}

}  // namespace gm
