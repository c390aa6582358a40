#include "cli/evolve/evolve_shard.hpp"

#include <algorithm>
#include <iostream>

#include "cli/evolve/report.hpp"
#include "models/cache/cache_key.hpp"
#include "models/errors.hpp"
#include "models/evo/gate_netlist.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace gm {
namespace {

constexpr const char* kEvolveCommand = "evolve";

// Every field of a fitness, so that the merge compares and reports exactly what the search found
// (nlohmann writes doubles so that they read back bit for bit).
json error_to_json(const evo::WeightedError& e) {
  return {{"er", e.er}, {"wmed", e.wmed}, {"wmred", e.wmred}, {"wce", e.wce}, {"bias", e.bias}, {"wmse", e.wmse}};
}

evo::WeightedError error_from_json(const json& j) {
  evo::WeightedError e;
  e.er = j.at("er").get<double>(), e.wmed = j.at("wmed").get<double>();
  e.wmred = j.at("wmred").get<double>(), e.wce = j.at("wce").get<double>();
  e.bias = j.at("bias").get<double>(), e.wmse = j.at("wmse").get<double>();
  return e;
}

json fitness_to_json(const evo::Fitness& f) {
  json j = error_to_json(f.error);
  j.update({{"violation", f.violation}, {"energy", f.energy}, {"area", f.area}, {"gates", f.gates}});
  if (!f.layer_errors.empty()) {  // --dist-layer
    j["layer_errors"] = json::array();
    for (const auto& e : f.layer_errors) j["layer_errors"].push_back(error_to_json(e));
  }
  return j;
}

evo::Fitness fitness_from_json(const json& j) {
  evo::Fitness f;
  f.error = error_from_json(j);
  f.violation = j.at("violation").get<double>(), f.energy = j.at("energy").get<double>();
  f.area = j.at("area").get<double>(), f.gates = j.at("gates").get<int>();
  if (j.contains("layer_errors"))
    for (const auto& e : j.at("layer_errors")) f.layer_errors.push_back(error_from_json(e));
  return f;
}

// The --dist-layer histograms, whole: the merge parses them as the shard did.
json layers_to_json(const std::vector<LayerOperandText>& layers) {
  json a = json::array();
  for (const auto& l : layers)
    a.push_back({{"name", l.name}, {"text", l.text}, {"origin", l.origin}, {"from_model", l.from_model}});
  return a;
}

json shard_result(const EvolveInputs& in, const SearchRun& run, int threads) {
  json circuits = json::array();
  for (const auto& c : run.circuits)
    circuits.push_back({{"bound", c.bound},
                        {"netlist", c.met() ? evo::canonical_text(c.netlist) : std::string()},
                        {"fitness", fitness_to_json(c.fitness)},
                        {"evaluations", c.evaluations},
                        {"generations", c.generations},
                        {"seconds", c.seconds},
                        {"resumed", c.resumed},
                        {"started_from_seed", c.started_from_seed},
                        {"random_seed", c.random_seed}});
  return {{"threads", threads},
          {"seed_design", in.seed_spec},
          {"cell_costs", in.costs.library},
          {"dist", in.texts.dist},
          {"dist_origin", in.texts.dist_origin},
          {"stream", in.texts.stream},
          {"stream_origin", in.texts.stream_origin},
          {"dist_layers", layers_to_json(in.texts.layers)},
          {"seed_fitness", fitness_to_json(run.seed_fitness)},
          {"stream_pairs", run.stream_pairs},
          {"dist_entries", run.dist_entries},
          {"searched_evaluations", run.searched_evaluations},
          {"searched_seconds", run.searched_seconds},
          {"circuits", circuits}};
}

FoundCircuit found_from_json(const json& j, const std::string& origin) {
  FoundCircuit c;
  c.bound = j.at("bound").get<std::string>();
  c.fitness = fitness_from_json(j.at("fitness"));
  c.evaluations = j.at("evaluations").get<uint64_t>();
  c.generations = j.at("generations").get<uint64_t>();
  c.seconds = j.at("seconds").get<double>();
  c.resumed = j.at("resumed").get<bool>();
  c.started_from_seed = j.at("started_from_seed").get<bool>();
  c.random_seed = j.at("random_seed").get<uint64_t>();
  if (c.met()) c.netlist = evo::parse_gate_netlist(j.at("netlist").get<std::string>(), origin);
  return c;
}

// The options the merge needs, from the arguments every shard shares.
EvolveOptions options_from_args(const json& a, const fs::path& out) {
  EvolveOptions o;
  o.w = a.at("w").get<int>();
  o.is_signed = a.at("s").get<int>() == 1;
  o.bounds = a.at("bounds").get<std::vector<std::string>>();
  o.seed = a.at("seed").get<uint64_t>();
  o.lib = a.at("lib").get<std::string>();
  o.synth = a.at("synth").get<bool>();
  o.model = a.at("model").get<std::string>();
  o.cgp.area_weight = a.at("area_weight").get<double>();
  if (a.contains("switching_delay") &&
      !evo::activity_delay_from_name(a.at("switching_delay").get<std::string>(), o.activity_delay))
    throw UserError("a shard file names an unknown switching delay model; remake the shards with this greenmac");
  o.out = out;
  return o;
}

// Of one bound's circuits over the shards: the cheapest that met it; when none did, the one
// nearest to it. Ties go to the lowest shard, so the choice is a function of the shard files.
const FoundCircuit& choose(const std::vector<const FoundCircuit*>& over, double area_weight) {
  const FoundCircuit* best = over.front();
  for (const FoundCircuit* c : over) {
    if (best->met() != c->met()) {
      if (c->met()) best = c;
      continue;
    }
    const bool better = c->met() ? c->fitness.cost(area_weight) < best->fitness.cost(area_weight)
                                 : c->fitness.violation < best->fitness.violation;
    if (better) best = c;
  }
  return *best;
}

int merge_evolve(const fs::path& out, const std::vector<ShardRecord>& shards) {
  const json& args = shards.front().args;
  EvolveOptions opt;
  EvolveInputs in;
  std::vector<SearchRun> runs;
  try {
    opt = options_from_args(args, out);
    const json& first = shards.front().result;
    for (const auto& b : opt.bounds) in.bounds.push_back(evo::parse_error_bound(b, opt.w));
    OperandTexts texts{first.at("dist").get<std::string>(), first.at("dist_origin").get<std::string>(),
                       first.at("stream").get<std::string>(), first.at("stream_origin").get<std::string>(), {}};
    for (const auto& l : first.value("dist_layers", json::array()))
      texts.layers.push_back({l.at("name").get<std::string>(), l.at("text").get<std::string>(),
                              l.at("origin").get<std::string>(), l.at("from_model").get<bool>()});
    parse_operands(opt, texts, in);
    in.seed_spec = first.at("seed_design").get<std::string>();
    in.costs.library = first.at("cell_costs").get<std::string>();
    for (const auto& s : shards) {
      const std::string origin = shard_file(out, kEvolveCommand, s.shard).string();
      opt.threads = std::max(opt.threads, s.result.at("threads").get<int>());
      SearchRun run;
      run.seed_fitness = fitness_from_json(s.result.at("seed_fitness"));
      run.stream_pairs = s.result.at("stream_pairs").get<size_t>();
      run.dist_entries = s.result.at("dist_entries").get<size_t>();
      run.searched_evaluations = s.result.at("searched_evaluations").get<uint64_t>();
      run.searched_seconds = s.result.at("searched_seconds").get<double>();
      for (const auto& c : s.result.at("circuits")) run.circuits.push_back(found_from_json(c, origin));
      if (run.circuits.size() != in.bounds.size())
        throw UserError(origin + " holds " + std::to_string(run.circuits.size()) + " circuits for " +
                        std::to_string(in.bounds.size()) + " bounds; remove it and run that shard again");
      runs.push_back(std::move(run));
    }
  } catch (const json::exception& e) {
    throw UserError("the evolve shards in " + (out / "shards").string() + " lack a field (" + e.what() +
                    "); remove them and run the shards again");
  }
  // The seed and the operands are the same in every shard (their arguments agree), so the first
  // shard's seed figures stand for all; the searches' counts add up.
  SearchRun merged = runs.front();
  merged.circuits.clear();
  merged.searched_evaluations = 0, merged.searched_seconds = 0;
  for (const auto& run : runs) {
    merged.searched_evaluations += run.searched_evaluations;
    merged.searched_seconds += run.searched_seconds;
  }
  for (size_t b = 0; b < in.bounds.size(); ++b) {
    std::vector<const FoundCircuit*> over;
    for (const auto& run : runs) over.push_back(&run.circuits[b]);
    merged.circuits.push_back(choose(over, opt.cgp.area_weight));
  }
  open_library(opt, in);
  EvolveResult r = store_and_measure(opt, in, merged);
  r.shards = shards.size();
  return finish_evolve_report(r, out, false);
}

const ShardMergerRegistrar evolve_merger({.command = kEvolveCommand, .merge = merge_evolve});

}  // namespace

json evolve_shard_args(const EvolveOptions& opt, const EvolveInputs& in) {
  // Each --dist-layer histogram by name and content: shards made with another layer file are refused.
  json layers = json::array();
  for (const auto& l : in.texts.layers) layers.push_back({{"name", l.name}, {"sha256", sha256_hex(l.text)}});
  json args = {{"w", opt.w},
          {"s", opt.is_signed ? 1 : 0},
          {"bounds", opt.bounds},
          {"seed", opt.seed},
          {"seed_design", in.seed_spec},
          {"seconds", opt.seconds},
          {"evaluations", opt.evaluations},
          {"lambda", opt.cgp.lambda},
          {"max_mutations", opt.cgp.max_mutations},
          {"area_weight", opt.cgp.area_weight},
          {"lib", opt.lib},
          {"synth", opt.synth},
          {"model", opt.model},
          {"dist_sha256", sha256_hex(in.texts.dist)},
          {"stream_sha256", sha256_hex(in.texts.stream)}};
  if (!layers.empty()) args["dist_layers"] = layers;  // absent without --dist-layer: earlier shards still match
  if (opt.activity_delay != evo::ActivityDelay::kZero)  // absent for zero delay, for the same reason
    args["switching_delay"] = evo::activity_delay_name(opt.activity_delay);
  return args;
}

int run_evolve_shard(const EvolveOptions& opt, const Shard& shard) {
  const EvolveInputs in = read_evolve_inputs(opt);
  const json args = evolve_shard_args(opt, in);
  if (shard_done(opt.out, kEvolveCommand, shard, args)) {
    std::cerr << "greenmac evolve: shard " << shard.index << "/" << shard.count << " is done ("
              << shard_file(opt.out, kEvolveCommand, shard).string() << "); skipped\n";
    return 0;
  }
  open_library(opt, in);
  const SearchRun run = search_bounds(opt, in, opt.seed + shard.index);
  write_shard(opt.out, kEvolveCommand, shard, args, shard_result(in, run, opt.threads));
  std::cerr << "greenmac evolve: shard " << shard.index << "/" << shard.count << " written to "
            << shard_file(opt.out, kEvolveCommand, shard).string() << "; when all " << shard.count
            << " are there: greenmac merge " << opt.out.string() << "\n";
  return 0;
}

}  // namespace gm
